using Genie.Contracts.Common.V1;
using Genie.Contracts.Lms.V1;
using Genie.ServiceDefaults.Grpc.Client;

namespace Genie.ServiceDefaults.Clients;

/// <summary>Typed client of <c>genie.lms.v1.LmsService</c>.</summary>
public sealed class LmsClient(GrpcChannel channel) : GrpcClientBase(channel, LmsReflection.Descriptor.Services[0])
{
    public Task<ServiceInfo> GetServiceInfoAsync(GetServiceInfoRequest request, CallOptions? options = null) =>
        UnaryAsync<GetServiceInfoRequest, ServiceInfo>("GetServiceInfo", request, options, idempotent: true);
}
