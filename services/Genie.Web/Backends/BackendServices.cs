using System.Security.Claims;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Genie.ServiceDefaults.Grpc.Client;
using Genie.Web.Identity;

namespace Genie.Web.Backends;

/// <summary>The services the portal calls, by the names the AppHost gives them (<c>services__{name}__grpc__N</c>).</summary>
public static class BackendServices
{
    public const string Retrieval = "retrieval";
    public const string Agent = "agent";
    public const string LmsBridge = "lmsbridge";

    public static readonly IReadOnlyList<(string Name, string Title, string Purpose)> All =
    [
        (Retrieval, "Retrieval", "knowledge bases, ingestion and search"),
        (Agent, "Agent", "the bots, conversations and memory"),
        (LmsBridge, "LmsBridge", "TalentLMS sync, progress and reminders"),
    ];

    public static IServiceCollection AddBackends(this IServiceCollection services)
    {
        services.AddTypedGrpcClient<RetrievalClient>(Retrieval);
        services.AddTypedGrpcClient<AgentClient>(Agent);
        services.AddTypedGrpcClient<LmsClient>(LmsBridge);
        services.AddSingleton<UserCalls>();
        services.AddSingleton<BackendClients>();
        return services;
    }
}

/// <summary>
/// Call options for a gRPC call made on behalf of the signed-in user: a JWT issued for them alone,
/// valid for minutes, so every service applies that user's permissions.
/// </summary>
public sealed class UserCalls(TokenService tokens)
{
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(5);

    public CallOptions For(ClaimsPrincipal user, CancellationToken ct, TimeSpan? timeout = null) => new()
    {
        BearerToken = tokens.Issue(user.UserId().ToString(), user.Email(), user.DisplayName(), user.Role(), TokenLifetime),
        Deadline = timeout is { } t ? DateTimeOffset.UtcNow + t : null,
        CancellationToken = ct,
    };
}
