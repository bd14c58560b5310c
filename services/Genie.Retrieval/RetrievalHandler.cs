using Genie.Contracts.Common.V1;
using Genie.ServiceDefaults.Grpc.Server;
using Genie.ServiceDefaults.Hosting;

namespace Genie.Retrieval;

/// <summary>Serves <c>genie.retrieval.v1.RetrievalService</c>.</summary>
public sealed class RetrievalHandler(ServiceInfoProvider serviceInfo)
{
    public Task<ServiceInfo> GetServiceInfo(GetServiceInfoRequest request, ServerCallContext context) =>
        serviceInfo.GetAsync(context.CancellationToken);
}
