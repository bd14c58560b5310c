using Genie.Contracts.Agent.V1;
using Genie.Contracts.Lms.V1;
using Genie.Contracts.Portal.V1;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Genie.ServiceDefaults.Grpc;
using Genie.ServiceDefaults.Grpc.Client;

namespace Genie.Slack.Backends;

/// <summary>
/// Every gRPC call the Slack adapter makes, in one place: Web issues user tokens to the adapter's own
/// service credential; Agent answers and stores feedback acting as that user; LmsBridge hands over the
/// reminders to deliver and keeps each learner's reminder preferences.
/// </summary>
public sealed class GenieBackends(PortalClient portal, AgentClient agent, LmsClient lms, TokenService tokens)
{
    public const string ServiceName = "slack";
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromMinutes(5);

    /// <summary>A short-lived token for the active Genie user with this e-mail; null when there is none.</summary>
    public async Task<GenieUser?> UserTokenAsync(string email, CancellationToken ct)
    {
        try
        {
            var issued = await portal.IssueUserTokenAsync(new IssueUserTokenRequest { Email = email },
                CallOptions.WithTimeout(CallTimeout, tokens.IssueForService(ServiceName), ct));
            return new GenieUser(issued.UserId, issued.Email, issued.Role, issued.AccessToken, issued.ExpiresAt.ToDateTimeOffset());
        }
        catch (RpcException e) when (e.Status == StatusCode.NotFound)
        {
            return null;
        }
    }

    public IAsyncEnumerable<ChatEvent> ChatAsync(GenieUser user, ChatRequest request, CancellationToken ct) =>
        agent.Chat(request, CallOptions.WithTimeout(AnswerTimeout, user.Token, ct));

    public Task<Feedback> SubmitFeedbackAsync(GenieUser user, string messageId, Rating rating, CancellationToken ct) =>
        agent.SubmitFeedbackAsync(new SubmitFeedbackRequest { MessageId = messageId, Rating = rating },
            CallOptions.WithTimeout(CallTimeout, user.Token, ct));

    public async Task<IReadOnlyList<SlackReminder>> RemindersToDeliverAsync(CancellationToken ct) =>
        (await lms.ListSlackRemindersAsync(new ListSlackRemindersRequest(), CallOptions.WithTimeout(CallTimeout, tokens.IssueForService(ServiceName), ct))).Items;

    public Task MarkDeliveredAsync(string reminderId, CancellationToken ct) =>
        lms.MarkReminderDeliveredAsync(new MarkReminderDeliveredRequest { ReminderId = reminderId, Channel = "slack" },
            CallOptions.WithTimeout(CallTimeout, tokens.IssueForService(ServiceName), ct));

    /// <summary>Turns Slack delivery of the user's reminders on or off, keeping their quiet settings.</summary>
    public async Task<ReminderPreferences> SetSlackRemindersAsync(GenieUser user, bool slack, CancellationToken ct)
    {
        var options = CallOptions.WithTimeout(CallTimeout, user.Token, ct);
        var preferences = await lms.GetReminderPreferencesAsync(new GetReminderPreferencesRequest(), options);
        preferences.Slack = slack;
        return await lms.SetReminderPreferencesAsync(preferences, options);
    }
}

/// <summary>A Genie user as Web vouched for them, with the token to act as them until it expires.</summary>
public sealed record GenieUser(string Id, string Email, string Role, string Token, DateTimeOffset ExpiresAt);
