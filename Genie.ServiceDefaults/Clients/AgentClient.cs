using Genie.Contracts.Common.V1;
using Genie.Contracts.Agent.V1;
using Genie.ServiceDefaults.Grpc.Client;

namespace Genie.ServiceDefaults.Clients;

/// <summary>Typed client of <c>genie.agent.v1.AgentService</c>.</summary>
public sealed class AgentClient(GrpcChannel channel) : GrpcClientBase(channel, AgentReflection.Descriptor.Services[0])
{
    public Task<ServiceInfo> GetServiceInfoAsync(GetServiceInfoRequest request, CallOptions? options = null) =>
        UnaryAsync<GetServiceInfoRequest, ServiceInfo>("GetServiceInfo", request, options, idempotent: true);
}
