using Genie.Contracts.Common.V1;
using Genie.Contracts.Retrieval.V1;
using Genie.ServiceDefaults.Grpc.Client;

namespace Genie.ServiceDefaults.Clients;

/// <summary>Typed client of <c>genie.retrieval.v1.RetrievalService</c>.</summary>
public sealed class RetrievalClient(GrpcChannel channel) : GrpcClientBase(channel, RetrievalReflection.Descriptor.Services[0])
{
    public Task<ServiceInfo> GetServiceInfoAsync(GetServiceInfoRequest request, CallOptions? options = null) =>
        UnaryAsync<GetServiceInfoRequest, ServiceInfo>("GetServiceInfo", request, options, idempotent: true);
}
