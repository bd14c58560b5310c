using System.Runtime.CompilerServices;
using Genie.Contracts.Agent.V1;
using Genie.Contracts.Lms.V1;
using Genie.Contracts.Portal.V1;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Grpc.Core;

namespace Genie.Slack.Backends;

/// <summary>
/// Every gRPC call the Slack adapter makes, in one place: Web issues user tokens to the adapter's own
/// service credential; Agent answers and stores feedback acting as that user; LmsBridge hands over the
/// reminders to deliver and keeps each learner's reminder preferences.
/// </summary>
public sealed class GenieBackends(
    PortalService.PortalServiceClient portal, AgentService.AgentServiceClient agent, LmsService.LmsServiceClient lms, TokenService tokens)
{
    public const string ServiceName = "slack";
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromMinutes(5);

    /// <summary>A short-lived token for the active Genie user with this e-mail; null when there is none.</summary>
    public async Task<GenieUser?> UserTokenAsync(string email, CancellationToken ct)
    {
        try
        {
            var issued = await portal.IssueUserTokenAsync(new IssueUserTokenRequest { Email = email }, AsService(ct));
            return new GenieUser(issued.UserId, issued.Email, issued.Role, issued.AccessToken, issued.ExpiresAt.ToDateTimeOffset(), [.. issued.Bots]);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    public async IAsyncEnumerable<ChatEvent> ChatAsync(GenieUser user, ChatRequest request, [EnumeratorCancellation] CancellationToken ct)
    {
        using var call = agent.Chat(request, BearerToken.Options(user.Token, AnswerTimeout, ct));
        await foreach (var ev in call.ResponseStream.ReadAllAsync(ct))
            yield return ev;
    }

    public async Task<Feedback> SubmitFeedbackAsync(GenieUser user, string messageId, Rating rating, CancellationToken ct) =>
        await agent.SubmitFeedbackAsync(new SubmitFeedbackRequest { MessageId = messageId, Rating = rating }, AsUser(user, ct));

    public async Task<IReadOnlyList<SlackReminder>> RemindersToDeliverAsync(CancellationToken ct) =>
        (await lms.ListSlackRemindersAsync(new ListSlackRemindersRequest(), AsService(ct))).Items;

    public async Task MarkDeliveredAsync(string reminderId, CancellationToken ct) =>
        await lms.MarkReminderDeliveredAsync(new MarkReminderDeliveredRequest { ReminderId = reminderId, Channel = "slack" }, AsService(ct));

    /// <summary>Turns Slack delivery of the user's reminders on or off, keeping their quiet settings.</summary>
    public async Task<ReminderPreferences> SetSlackRemindersAsync(GenieUser user, bool slack, CancellationToken ct) =>
        await lms.SetSlackRemindersAsync(new SetSlackRemindersRequest { Slack = slack }, AsUser(user, ct));

    private CallOptions AsService(CancellationToken ct) => BearerToken.Options(tokens.IssueForService(ServiceName), CallTimeout, ct);

    private static CallOptions AsUser(GenieUser user, CancellationToken ct) => BearerToken.Options(user.Token, CallTimeout, ct);
}

/// <summary>
/// A Genie user as Web vouched for them, with the token to act as them until it expires and the bots the portal
/// lets them use (as of when the token was issued).
/// </summary>
public sealed record GenieUser(string Id, string Email, string Role, string Token, DateTimeOffset ExpiresAt, IReadOnlyList<string> Bots)
{
    public bool MayUse(string bot) => Bots.Contains(bot, StringComparer.Ordinal);
}
