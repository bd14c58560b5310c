using Genie.ServiceDefaults.Clients;
using Genie.ServiceDefaults.Grpc;

namespace Genie.Web.Backends;

/// <summary>
/// The typed clients of the other services, resolved when first used. A service without a configured
/// endpoint surfaces as an UNAVAILABLE <see cref="RpcException"/>, so pages handle "not deployed" like
/// "not reachable" and still render.
/// </summary>
public sealed class BackendClients(IServiceProvider services)
{
    public LmsClient Lms => Resolve<LmsClient>(BackendServices.LmsBridge);

    public RetrievalClient Retrieval => Resolve<RetrievalClient>(BackendServices.Retrieval);

    public AgentClient Agent => Resolve<AgentClient>(BackendServices.Agent);

    private T Resolve<T>(string name) where T : notnull
    {
        try
        {
            return services.GetRequiredService<T>();
        }
        catch (InvalidOperationException)
        {
            throw new RpcException(StatusCode.Unavailable, $"the {name} service is not configured (services__{name}__grpc__0 is not set)");
        }
    }
}
