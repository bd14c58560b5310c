using System.Security.Claims;
using Genie.Contracts.Agent.V1;
using Genie.Contracts.Lms.V1;
using Genie.Contracts.Retrieval.V1;
using Genie.Contracts.Slack.V1;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Genie.Web.Identity;
using Grpc.Core;
using Grpc.Health.V1;

namespace Genie.Web.Backends;

/// <summary>The services the portal calls, by the names the AppHost gives them (<c>services__{name}__grpc__N</c>).</summary>
public static class BackendServices
{
    public const string Retrieval = "retrieval";
    public const string Agent = "agent";
    public const string LmsBridge = "lmsbridge";

    /// <summary>Optional: the Slack adapter (Admin → Slack, welcome notices as Slack DMs); no other page needs it.</summary>
    public const string Slack = "slack";

    public static readonly IReadOnlyList<(string Name, string Title, string Purpose)> All =
    [
        (Retrieval, "Retrieval", "knowledge bases, ingestion and search"),
        (Agent, "Agent", "the bots, conversations and memory"),
        (LmsBridge, "LmsBridge", "TalentLMS sync, progress and reminders"),
    ];

    public static IServiceCollection AddBackends(this IServiceCollection services)
    {
        services.AddServiceClient<RetrievalService.RetrievalServiceClient>(Retrieval);
        services.AddServiceClient<AgentService.AgentServiceClient>(Agent);
        services.AddServiceClient<LmsService.LmsServiceClient>(LmsBridge);
        services.AddServiceClient<SlackAdminService.SlackAdminServiceClient>(Slack);
        services.AddServiceClient<SlackNoticeService.SlackNoticeServiceClient>(Slack);
        // grpc.health.v1 answers anonymous callers, so these need neither token nor interceptor.
        foreach (var (name, _, _) in All)
            services.AddGrpcClient<Health.HealthClient>(HealthClientName(name), o => o.Address = new Uri($"http://_grpc.{name}"))
                .AddServiceDiscovery();
        services.AddSingleton<UserCalls>();
        services.AddSingleton<BackendClients>();
        return services;
    }

    public static string HealthClientName(string service) => "health-" + service;
}

/// <summary>
/// Call options for a gRPC call made on behalf of the signed-in user: a JWT issued for them alone,
/// valid for minutes, so every service applies that user's permissions.
/// </summary>
public sealed class UserCalls(TokenService tokens)
{
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(5);

    public CallOptions For(ClaimsPrincipal user, CancellationToken ct, TimeSpan? timeout = null) =>
        BearerToken.Options(tokens.Issue(user.UserId().ToString(), user.Email(), user.DisplayName(), user.Role(), TokenLifetime), timeout, ct);
}
