using Genie.Contracts.Common.V1;
using Genie.ServiceDefaults.Grpc.Server;
using Genie.ServiceDefaults.Hosting;

namespace Genie.LmsBridge;

/// <summary>Serves <c>genie.lms.v1.LmsService</c>.</summary>
public sealed class LmsHandler(ServiceInfoProvider serviceInfo)
{
    public Task<ServiceInfo> GetServiceInfo(GetServiceInfoRequest request, ServerCallContext context) =>
        serviceInfo.GetAsync(context.CancellationToken);
}
