using Dapper;
using Genie.Contracts.Lms.V1;
using Genie.ServiceDefaults.Clients;
using Genie.Testing.FakeTalentLms;
using Genie.Testing.Hosts;
using Grpc.Core;

namespace Genie.LmsBridge.Tests.Reminders;

/// <summary>Reminders from real syncs: Ann's last activity is 2 March 2024, Bob and Carl never started (enrolled 1 February).</summary>
public sealed class ReminderTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2024, 3, 12, 12, 0, 0, TimeSpan.Zero));
    private LmsBridgeTestHost _host = null!;
    private PortalScenario _portal = null!;

    public async Task InitializeAsync()
    {
        _host = await LmsBridgeTestHost.StartAsync(clock: _clock);
        _portal = new PortalScenario(_host.TalentLms.Data);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private LmsService.LmsServiceClient Ann => _host.Client("learner", "ann.lee@example.com");

    [Fact]
    public async Task Rules_fire_once_per_cause_however_often_they_run()
    {
        await _host.SyncAsync();
        await _host.SyncAsync();
        _clock.Now = _clock.Now.AddDays(1);
        await _host.SyncAsync();

        var reminders = (await Ann.ListRemindersAsync(new ListRemindersRequest())).Reminders;
        Assert.Equal([ReminderRule.NoProgress, ReminderRule.FailedTest], reminders.Select(r => r.Rule).Order());
        Assert.Equal("You scored 50% on 'Branching quiz' in 'Git basics' and did not pass. 1 question was wrong. Review and retake it.",
            reminders.Single(r => r.Rule == ReminderRule.FailedTest).Reason);
        Assert.Equal(_portal.Quiz.Url, reminders.Single(r => r.Rule == ReminderRule.FailedTest).NextUnitUrl);
        Assert.Contains("No progress in 'Git basics' for 10 days", reminders.Single(r => r.Rule == ReminderRule.NoProgress).Reason);
        await using var db = await _host.Db.OpenConnectionAsync();
        Assert.Equal(5, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM lms.reminders")); // Ann 2, Bob 2, Carl 1
    }

    [Fact]
    public async Task Acknowledged_reminders_stay_quiet_and_a_new_cause_brings_a_new_one()
    {
        await _host.SyncAsync();
        var failed = (await Ann.ListRemindersAsync(new ListRemindersRequest())).Reminders.Single(r => r.Rule == ReminderRule.FailedTest);

        var acknowledged = await Ann.AcknowledgeReminderAsync(new AcknowledgeReminderRequest { Id = failed.Id });
        await _host.SyncAsync();
        var afterAck = (await Ann.ListRemindersAsync(new ListRemindersRequest())).Reminders;

        Assert.NotNull(acknowledged.AcknowledgedAt);
        Assert.DoesNotContain(afterAck, r => r.Rule == ReminderRule.FailedTest);

        // A retake that fails again is a new cause; the fresh activity ends the no-progress period.
        _host.TalentLms.Data.RecordTest(_portal.Ann, _portal.Quiz, 60, passed: false, _clock.Now.AddHours(-1),
            new FakeQuestion("What does git rebase do?", false, ["Merges branches"], ["Replays commits onto another base"]));
        await _host.SyncAsync();
        var all = (await Ann.ListRemindersAsync(new ListRemindersRequest { IncludeClosed = true })).Reminders;
        var open = (await Ann.ListRemindersAsync(new ListRemindersRequest())).Reminders;

        Assert.Equal(2, all.Count(r => r.Rule == ReminderRule.FailedTest));
        var retake = Assert.Single(open);
        Assert.Equal(ReminderRule.FailedTest, retake.Rule);
        Assert.Contains("You scored 60%", retake.Reason);
        Assert.NotNull(all.Single(r => r.Rule == ReminderRule.NoProgress).ResolvedAt);
    }

    [Fact]
    public async Task Due_soon_uses_the_enrolment_expiry()
    {
        _host.TalentLms.Data.SetEnrollmentExpiry(_portal.Carl, _portal.Docker, _clock.Now.AddDays(2));
        await _host.SyncAsync();

        var carl = (await _host.Client("learner", "carl@example.com").ListRemindersAsync(new ListRemindersRequest())).Reminders;

        var due = Assert.Single(carl, r => r.Rule == ReminderRule.DueSoon);
        Assert.Equal("'Docker 101' is due on 2024-03-14 (2 days left) and is 0% complete. Next up: 'What is a container'.", due.Reason);
    }

    [Fact]
    public async Task Delivery_respects_the_quiet_preference_but_the_list_still_shows_reminders()
    {
        await _host.SyncAsync();
        var ann = Ann;

        await ann.SetReminderPreferencesAsync(new ReminderPreferences { QuietHoursStart = "11:00", QuietHoursEnd = "13:00", TimeZone = "UTC" });
        var duringQuietHours = await ann.ListRemindersAsync(new ListRemindersRequest { ForDelivery = true });
        _clock.Now = _clock.Now.AddHours(2);
        var afterQuietHours = await ann.ListRemindersAsync(new ListRemindersRequest { ForDelivery = true });
        await ann.SetReminderPreferencesAsync(new ReminderPreferences { Quiet = true });
        var quiet = await ann.ListRemindersAsync(new ListRemindersRequest { ForDelivery = true });
        var inbox = await ann.ListRemindersAsync(new ListRemindersRequest());
        var saved = await ann.GetReminderPreferencesAsync(new GetReminderPreferencesRequest());

        Assert.True(duringQuietHours.QuietNow);
        Assert.Empty(duringQuietHours.Reminders);
        Assert.False(afterQuietHours.QuietNow);
        Assert.Equal(2, afterQuietHours.Reminders.Count);
        Assert.True(quiet.QuietNow);
        Assert.Empty(quiet.Reminders);
        Assert.Equal(2, inbox.Reminders.Count);
        Assert.True(saved.Quiet);
    }

    [Fact]
    public async Task Nobody_acknowledges_or_reads_someone_elses_reminders()
    {
        await _host.SyncAsync();
        var annReminder = (await Ann.ListRemindersAsync(new ListRemindersRequest())).Reminders[0];
        var bob = _host.Client("learner", "bob.stone@example.com");

        var error = await Assert.ThrowsAsync<RpcException>(async () => await bob.AcknowledgeReminderAsync(new AcknowledgeReminderRequest { Id = annReminder.Id }));
        var bobs = (await bob.ListRemindersAsync(new ListRemindersRequest())).Reminders;

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.DoesNotContain(bobs, r => r.Id == annReminder.Id);
        Assert.Null((await Ann.ListRemindersAsync(new ListRemindersRequest())).Reminders.Single(r => r.Id == annReminder.Id).AcknowledgedAt);
    }

    [Fact]
    public async Task Bad_preferences_are_rejected_with_the_field()
    {
        var zone = await Assert.ThrowsAsync<RpcException>(async () => await Ann.SetReminderPreferencesAsync(new ReminderPreferences { TimeZone = "Mars/Olympus" }));
        var half = await Assert.ThrowsAsync<RpcException>(async () => await Ann.SetReminderPreferencesAsync(new ReminderPreferences { QuietHoursStart = "22:00" }));

        Assert.StartsWith("time_zone:", zone.Status.Detail);
        Assert.StartsWith("quiet_hours_end:", half.Status.Detail);
    }

    [Fact]
    public async Task Turning_slack_on_or_off_changes_only_slack_and_only_for_the_caller()
    {
        var bob = _host.Client("learner", "bob.stone@example.com");
        await Ann.SetReminderPreferencesAsync(new ReminderPreferences { QuietHoursStart = "22:00", QuietHoursEnd = "07:00", TimeZone = "Europe/Athens" });
        await bob.SetReminderPreferencesAsync(new ReminderPreferences { Quiet = true, Slack = true });

        var on = await Ann.SetSlackRemindersAsync(new SetSlackRemindersRequest { Slack = true });
        var annStored = await Ann.GetReminderPreferencesAsync(new GetReminderPreferencesRequest());
        var bobOff = await bob.SetSlackRemindersAsync(new SetSlackRemindersRequest { Slack = false });
        var annAfterBob = await Ann.GetReminderPreferencesAsync(new GetReminderPreferencesRequest());
        var carlFresh = await _host.Client("learner", "carl@example.com").SetSlackRemindersAsync(new SetSlackRemindersRequest { Slack = true });

        var annExpected = new ReminderPreferences { QuietHoursStart = "22:00", QuietHoursEnd = "07:00", TimeZone = "Europe/Athens", Slack = true };
        Assert.Equal(annExpected, on);
        Assert.Equal(annExpected, annStored);
        Assert.Equal(new ReminderPreferences { Quiet = true, TimeZone = "UTC", Slack = false }, bobOff);
        Assert.Equal(annExpected, annAfterBob);
        Assert.Equal(new ReminderPreferences { TimeZone = "UTC", Slack = true }, carlFresh);
    }
}
