using Genie.Contracts.Common.V1;
using Genie.ServiceDefaults.Grpc.Server;
using Genie.ServiceDefaults.Hosting;

namespace Genie.Agent;

/// <summary>Serves <c>genie.agent.v1.AgentService</c>.</summary>
public sealed class AgentHandler(ServiceInfoProvider serviceInfo)
{
    public Task<ServiceInfo> GetServiceInfo(GetServiceInfoRequest request, ServerCallContext context) =>
        serviceInfo.GetAsync(context.CancellationToken);
}
