using Genie.Contracts.Common.V1;
using Genie.Contracts.Portal.V1;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Hosting;
using Genie.ServiceDefaults.Rpc;
using Genie.Web.Bots;
using Genie.Web.Identity;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace Genie.Web.AccessTokens;

/// <summary>Serves <c>genie.portal.v1.PortalService</c>: personal access token → short-lived JWT.</summary>
public sealed partial class PortalHandler(PersonalAccessTokens tokens, UserStore users, TokenService tokenService, ServiceInfoProvider serviceInfo, TimeProvider time, ToolEndpointDirectory endpoints,
    BotAssignments assignments)
    : PortalService.PortalServiceBase
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(10);

    public override Task<ServiceInfo> GetServiceInfo(GetServiceInfoRequest request, ServerCallContext context) =>
        serviceInfo.GetAsync(context.CancellationToken);

    // The request carries its own credential, so no bearer token is asked for.
    [AllowAnonymous]
    public override async Task<ExchangeTokenResponse> ExchangeToken(ExchangeTokenRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.PersonalAccessToken))
            throw RpcErrors.InvalidArgument("personal_access_token", "is required");
        if (request.LifetimeSeconds != 0 && request.LifetimeSeconds is < 60 or > 3600)
            throw RpcErrors.InvalidArgument("lifetime_seconds", "must be between 60 and 3600 (or 0 for the default of 600)");
        var user = await tokens.AuthenticateAsync(request.PersonalAccessToken.Trim(), context.CancellationToken)
            ?? throw RpcErrors.Of(StatusCode.Unauthenticated, "personal_access_token: unknown or revoked, or its owner is deactivated");
        var lifetime = request.LifetimeSeconds == 0 ? DefaultLifetime : TimeSpan.FromSeconds(request.LifetimeSeconds);
        var expiresAt = time.GetUtcNow() + lifetime;
        var response = new ExchangeTokenResponse
        {
            AccessToken = tokenService.Issue(user.Id.ToString(), user.Email, user.DisplayName, user.Role, lifetime),
            ExpiresAt = Timestamp.FromDateTimeOffset(expiresAt),
            UserId = user.Id.ToString(),
            Email = user.Email,
            Role = user.Role,
            Endpoints = endpoints.Current(),
        };
        response.Bots.AddRange(await BotsOfAsync(user, context.CancellationToken));
        return response;
    }

    /// <summary>The ids of the bots the user may use, as the portal's chat decides it.</summary>
    private async Task<IEnumerable<string>> BotsOfAsync(PortalUser user, CancellationToken ct) =>
        (await assignments.AvailableToAsync(user.Id, user.Role, ct)).Select(b => b.Id);
}
