using Genie.Contracts.Lms.V1;
using Genie.ServiceDefaults.Auth;
using Genie.Slack.Reminders;
using Genie.Testing.FakeSlack;
using Microsoft.Extensions.DependencyInjection;

namespace Genie.Slack.Tests;

/// <summary>Reminders LmsBridge decides on reach learners who chose Slack as DMs, once, never in quiet time.</summary>
public sealed class ReminderDmTests(SlackSystem system) : IClassFixture<SlackSystem>
{
    private FakeSlackServer Slack => system.FakeSlack;

    [Fact]
    public async Task A_reminder_arrives_once_as_a_DM_for_who_chose_Slack_and_not_for_the_others()
    {
        var chose = await StalledLearnerAsync();
        var didNotChoose = await StalledLearnerAsync();
        var quiet = await StalledLearnerAsync();
        await CommandAsync(chose.SlackId, "reminders slack");
        await CommandAsync(quiet.SlackId, "reminders slack");
        // The commands run in the background; quiet time is set only once both are confirmed, so the
        // command's own read-modify-write of the preferences cannot overwrite it.
        await SlackSystem.WaitUntilAsync(() => Slack.EphemeralsFor(chose.SlackId).Any(t => t.StartsWith("Done")), "the confirmation");
        await SlackSystem.WaitUntilAsync(() => Slack.EphemeralsFor(quiet.SlackId).Any(t => t.StartsWith("Done")), "the quiet learner's confirmation");
        await system.LmsBridge.Client(Roles.Learner, quiet.Email).SetReminderPreferencesAsync(new ReminderPreferences { Quiet = true, Slack = true });
        await system.LmsBridge.SyncAsync();

        var delivery = system.Slack.Services.GetRequiredService<ReminderDelivery>();
        await delivery.DeliverDueAsync(default);
        await delivery.DeliverDueAsync(default);

        var dm = Assert.Single(Slack.Messages, m => m.Channel == "D" + chose.SlackId && m.ThreadTs is null);
        Assert.Contains("No progress in", dm.Text);
        Assert.Contains(chose.Course, dm.Text);
        Assert.DoesNotContain(Slack.Messages, m => m.Channel == "D" + didNotChoose.SlackId || m.Channel == "D" + quiet.SlackId);
        var preferences = await system.LmsBridge.Client(Roles.Learner, chose.Email).GetReminderPreferencesAsync(new GetReminderPreferencesRequest());
        Assert.True(preferences.Slack);
    }

    [Fact]
    public async Task Only_the_Slack_service_may_list_or_mark_Slack_deliveries()
    {
        var learner = system.LmsBridge.Client(Roles.Learner, "someone@genie.test");

        var list = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => learner.ListSlackRemindersAsync(new ListSlackRemindersRequest()).ResponseAsync);

        Assert.Equal(Grpc.Core.StatusCode.PermissionDenied, list.StatusCode);
    }

    private Task CommandAsync(string slackId, string text) =>
        Slack.SendEnvelopeAsync("slash_commands", FakeSlackServer.SlashCommand(slackId, "D" + slackId, "/genie", text));

    /// <summary>A learner enrolled three weeks ago in a course they never started.</summary>
    private Task<(string SlackId, string Email, string Course, IReadOnlyList<string> Units)> StalledLearnerAsync() =>
        system.AddLearnerAsync(["Read the policy"], enrolledOn: DateTimeOffset.UtcNow.AddDays(-21));
}
