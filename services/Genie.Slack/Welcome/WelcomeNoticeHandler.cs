using Genie.Contracts.Slack.V1;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Rpc;
using Genie.Slack.Answering;
using Genie.Slack.Settings;
using Genie.Slack.WebApi;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace Genie.Slack.Welcome;

/// <summary>
/// Serves <c>genie.slack.v1.SlackNoticeService</c>: the portal's welcome for a new user, as a Slack DM to the
/// workspace member with the same e-mail (<c>users.lookupByEmail</c>, scope <c>users:read.email</c>).
/// </summary>
[Authorize(Roles = Roles.Service)]
public sealed class WelcomeNoticeHandler(SlackSecrets secrets, SlackWebApi slack, ILogger<WelcomeNoticeHandler> logger)
    : SlackNoticeService.SlackNoticeServiceBase
{
    /// <summary>The subject of the portal's own token (<see cref="TokenService.IssueForService"/> with "web").</summary>
    public const string PortalSubject = "service:web";

    public override async Task<SendWelcomeNoticeResponse> SendWelcomeNotice(SendWelcomeNoticeRequest request, ServerCallContext context)
    {
        if (context.GetCaller().UserId != PortalSubject)
            throw RpcErrors.PermissionDenied("Only the portal may send welcome notices.");
        var email = request.Email.Trim();
        if (email.Length is 0 or > 254 || !email.Contains('@'))
            throw RpcErrors.InvalidArgument("email", "must be an e-mail address");
        if (string.IsNullOrWhiteSpace(request.DisplayName) || request.DisplayName.Length > 100)
            throw RpcErrors.InvalidArgument("display_name", "is required (at most 100 characters)");
        if (request.InvitedBy.Length > 100)
            throw RpcErrors.InvalidArgument("invited_by", "must be at most 100 characters");
        if (!Uri.TryCreate(request.PortalUrl, UriKind.Absolute, out var portal) || portal.Scheme is not ("http" or "https"))
            throw RpcErrors.InvalidArgument("portal_url", "must be an absolute http(s) address");
        if (!secrets.Current.Configured)
            throw RpcErrors.Of(StatusCode.FailedPrecondition, "Slack is not configured (no bot token)");

        var ct = context.CancellationToken;
        try
        {
            var user = await slack.LookupByEmailAsync(email, ct)
                ?? throw RpcErrors.Of(StatusCode.NotFound, "email: nobody in the Slack workspace has this e-mail");
            var channel = await slack.OpenDirectMessageAsync(user, ct);
            var text = WelcomeText.For(request.DisplayName.Trim(), request.InvitedBy.Trim(), portal.AbsoluteUri);
            var posted = await slack.PostMessageAsync(channel, text, [AnswerBlocks.Section(text)], null, ct);
            logger.LogInformation("Welcomed Slack user {SlackUser} in a DM", user);
            return new SendWelcomeNoticeResponse { SlackUserId = user, Channel = channel, Ts = posted["ts"]?.GetValue<string>() ?? "" };
        }
        catch (SlackApiException e)
        {
            throw RpcErrors.Of(StatusCode.Unavailable, $"Slack refused {e.Method}: {e.Error}");
        }
        catch (HttpRequestException e)
        {
            throw RpcErrors.Of(StatusCode.Unavailable, $"Slack could not be reached: {e.Message}");
        }
    }
}
