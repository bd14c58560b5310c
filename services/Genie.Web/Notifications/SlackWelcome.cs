using Genie.Contracts.Slack.V1;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Genie.Web.Backends;
using Grpc.Core;

namespace Genie.Web.Notifications;

/// <summary>
/// The welcome notice as a Slack DM as well, when the Slack service is deployed: Genie.Slack finds the person by
/// e-mail and posts it. It runs after the user is created, in the background, so the admin's page and the welcome
/// e-mail never wait for Slack or depend on it; whatever goes wrong is logged.
/// </summary>
public sealed class SlackWelcome(BackendClients backends, TokenService tokens, IHostApplicationLifetime lifetime, ILogger<SlackWelcome> logger)
{
    /// <summary>The name the portal's own token carries (subject <c>service:web</c>).</summary>
    public const string PortalServiceName = "web";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public void Send(string email, string displayName, string invitedBy, string portalUrl) =>
        _ = Task.Run(() => SendAsync(email, displayName, invitedBy, portalUrl, lifetime.ApplicationStopping));

    public async Task SendAsync(string email, string displayName, string invitedBy, string portalUrl, CancellationToken ct)
    {
        if (backends.Endpoints(BackendServices.Slack).Count == 0)
            return; // Slack is not deployed with this portal: the e-mail is the welcome.
        try
        {
            var sent = await backends.SlackNotices.SendWelcomeNoticeAsync(new SendWelcomeNoticeRequest
            {
                Email = email,
                DisplayName = displayName,
                InvitedBy = invitedBy,
                PortalUrl = portalUrl,
            }, BearerToken.Options(tokens.IssueForService(PortalServiceName), Timeout, ct));
            logger.LogInformation("Welcomed {Email} in Slack as {SlackUser}", email, sent.SlackUserId);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.NotFound or StatusCode.FailedPrecondition)
        {
            logger.LogInformation("No Slack welcome for {Email}: {Detail}", email, e.Status.Detail);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var detail = e is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : e.Message;
            logger.LogWarning("Sending the welcome for {Email} to Slack failed ({Detail}); the e-mail is unaffected", email, detail);
        }
    }
}
