using Genie.Contracts.Portal.V1;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Rpc;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace Genie.Web.AccessTokens;

public sealed partial class PortalHandler
{
    /// <summary>The subject of the Slack service's own token (<see cref="TokenService.IssueForService"/>).</summary>
    public const string SlackServiceSubject = "service:slack";

    /// <summary>A user token for the Slack adapter, which has verified the person's e-mail with Slack.</summary>
    [Authorize(Roles = Roles.Service)]
    public override async Task<ExchangeTokenResponse> IssueUserToken(IssueUserTokenRequest request, ServerCallContext context)
    {
        if (context.GetCaller().UserId != SlackServiceSubject)
            throw RpcErrors.PermissionDenied("Only the Slack service may ask for a user's token.");
        if (string.IsNullOrWhiteSpace(request.Email))
            throw RpcErrors.InvalidArgument("email", "is required");
        if (request.LifetimeSeconds != 0 && request.LifetimeSeconds is < 60 or > 3600)
            throw RpcErrors.InvalidArgument("lifetime_seconds", "must be between 60 and 3600 (or 0 for the default of 600)");
        var user = await users.FindByEmailAsync(request.Email, context.CancellationToken);
        if (user is not { Active: true })
            throw RpcErrors.Of(StatusCode.NotFound, "email: no active Genie user has this e-mail");
        var lifetime = request.LifetimeSeconds == 0 ? DefaultLifetime : TimeSpan.FromSeconds(request.LifetimeSeconds);
        var response = new ExchangeTokenResponse
        {
            AccessToken = tokenService.Issue(user.Id.ToString(), user.Email, user.DisplayName, user.Role, lifetime),
            ExpiresAt = Timestamp.FromDateTimeOffset(time.GetUtcNow() + lifetime),
            UserId = user.Id.ToString(),
            Email = user.Email,
            Role = user.Role,
        };
        response.Bots.AddRange(await BotsOfAsync(user, context.CancellationToken));
        return response;
    }
}
