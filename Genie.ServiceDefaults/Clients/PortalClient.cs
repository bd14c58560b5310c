using Genie.Contracts.Common.V1;
using Genie.Contracts.Portal.V1;
using Genie.ServiceDefaults.Grpc.Client;

namespace Genie.ServiceDefaults.Clients;

/// <summary>Typed client of <c>genie.portal.v1.PortalService</c> (served by Genie.Web).</summary>
public sealed class PortalClient(GrpcChannel channel) : GrpcClientBase(channel, PortalReflection.Descriptor.Services[0])
{
    public Task<ServiceInfo> GetServiceInfoAsync(GetServiceInfoRequest request, CallOptions? options = null) =>
        UnaryAsync<GetServiceInfoRequest, ServiceInfo>("GetServiceInfo", request, options, idempotent: true);

    public Task<ExchangeTokenResponse> ExchangeTokenAsync(ExchangeTokenRequest request, CallOptions? options = null) =>
        UnaryAsync<ExchangeTokenRequest, ExchangeTokenResponse>("ExchangeToken", request, options, idempotent: true);

    /// <summary>Only the Slack service's own token may call it.</summary>
    public Task<ExchangeTokenResponse> IssueUserTokenAsync(IssueUserTokenRequest request, CallOptions? options = null) =>
        UnaryAsync<IssueUserTokenRequest, ExchangeTokenResponse>("IssueUserToken", request, options, idempotent: true);
}
