using Genie.Contracts.Agent.V1;
using Genie.Contracts.Lms.V1;
using Genie.Contracts.Retrieval.V1;
using Genie.Contracts.Slack.V1;
using Genie.ServiceDefaults.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.ClientFactory;

namespace Genie.Web.Backends;

/// <summary>
/// The generated clients of the other services. A service without a configured endpoint surfaces as an
/// UNAVAILABLE <see cref="RpcException"/>, so pages handle "not deployed" like "not reachable" and still render.
/// </summary>
public sealed class BackendClients(IServiceProvider services, IConfiguration configuration, GrpcClientFactory factory)
{
    public LmsService.LmsServiceClient Lms => Resolve<LmsService.LmsServiceClient>(BackendServices.LmsBridge);

    public RetrievalService.RetrievalServiceClient Retrieval => Resolve<RetrievalService.RetrievalServiceClient>(BackendServices.Retrieval);

    public SlackNoticeService.SlackNoticeServiceClient SlackNotices => Resolve<SlackNoticeService.SlackNoticeServiceClient>(BackendServices.Slack);

    public AgentService.AgentServiceClient Agent => Resolve<AgentService.AgentServiceClient>(BackendServices.Agent);

    public SlackAdminService.SlackAdminServiceClient Slack => Resolve<SlackAdminService.SlackAdminServiceClient>(BackendServices.Slack);

    /// <summary>The grpc.health.v1 client of the service <paramref name="name"/>.</summary>
    public Health.HealthClient Health(string name)
    {
        EnsureConfigured(name);
        return factory.CreateClient<Health.HealthClient>(BackendServices.HealthClientName(name));
    }

    /// <summary>The addresses the AppHost gave <paramref name="name"/> (<c>services__{name}__grpc__N</c>).</summary>
    public IReadOnlyList<string> Endpoints(string name) =>
        configuration.GetSection($"services:{name}:grpc").GetChildren().Select(c => c.Value).OfType<string>().ToList();

    private T Resolve<T>(string name) where T : notnull
    {
        EnsureConfigured(name);
        return services.GetRequiredService<T>();
    }

    private void EnsureConfigured(string name)
    {
        if (Endpoints(name).Count == 0)
            throw RpcErrors.Of(StatusCode.Unavailable, $"the {name} service is not configured (services__{name}__grpc__0 is not set)");
    }
}
