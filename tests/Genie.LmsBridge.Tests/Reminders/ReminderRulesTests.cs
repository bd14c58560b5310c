using Genie.LmsBridge.Progress;
using Genie.LmsBridge.Reminders;
using Genie.LmsBridge.Sync;

namespace Genie.LmsBridge.Tests.Reminders;

public sealed class ReminderRulesTests
{
    private static readonly DateTimeOffset Now = new(2024, 3, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly ReminderThresholds Thresholds = new(NoProgressDays: 7, DueSoonDays: 3);

    private static EnrollmentView Enrollment(
        int percent = 25, DateTimeOffset? lastActivity = null, DateTimeOffset? due = null, string role = "learner",
        params TestView[] tests) =>
        new("ann@example.com", "100", "Ann Lee", "200", "Git basics", "GIT", role, percent, "incomplete",
            Now.AddDays(-30), percent == 100 ? Now.AddDays(-1) : null, due, null, lastActivity ?? Now.AddDays(-1), 600,
            [
                new UnitView("1", 1, "Intro", "Content", "https://lms/unit/1", false, true, "Completed", true, "", Now.AddDays(-20)),
                new UnitView("2", 2, "Quiz", "Test", "https://lms/unit/2", false, true, "Failed", false, "40", Now.AddDays(-2)),
            ],
            tests);

    [Fact]
    public void No_progress_fires_once_the_threshold_is_reached_and_names_the_next_unit()
    {
        var quiet = ReminderRules.Evaluate(Enrollment(lastActivity: Now.AddDays(-6)), Now, Thresholds);
        var idle = Assert.Single(ReminderRules.Evaluate(Enrollment(lastActivity: Now.AddDays(-9)), Now, Thresholds));

        Assert.Empty(quiet);
        Assert.Equal(ReminderRuleNames.NoProgress, idle.Rule);
        Assert.Equal("since:2024-03-11T12:00:00Z", idle.Cause);
        Assert.Equal("No progress in 'Git basics' for 9 days (25% complete). Next up: 'Quiz'.", idle.Reason);
        Assert.Equal("https://lms/unit/2", idle.NextUnitUrl);
    }

    [Fact]
    public void Due_soon_fires_inside_the_window_only()
    {
        var early = ReminderRules.Evaluate(Enrollment(due: Now.AddDays(5)), Now, Thresholds);
        var soon = Assert.Single(ReminderRules.Evaluate(Enrollment(due: Now.AddDays(2).AddHours(-1)), Now, Thresholds));
        var past = ReminderRules.Evaluate(Enrollment(due: Now.AddDays(-1)), Now, Thresholds);

        Assert.Empty(early);
        Assert.Empty(past);
        Assert.Equal(ReminderRuleNames.DueSoon, soon.Rule);
        Assert.Contains("is due on 2024-03-22 (2 days left) and is 25% complete", soon.Reason);
    }

    [Fact]
    public void A_failed_test_fires_with_its_attempt_as_the_cause()
    {
        var attempt = new TestView("2", "Quiz", 40, false, "Failed", Now.AddDays(-2),
            [new StoredQuestion("q1", "Q?", "Multiple choice", 1, false, ["a"], ["b"]), new StoredQuestion("q2", "R?", "Multiple choice", 1, true, ["c"], ["c"])]);

        var reminder = Assert.Single(ReminderRules.Evaluate(Enrollment(tests: attempt), Now, Thresholds));

        Assert.Equal(ReminderRuleNames.FailedTest, reminder.Rule);
        Assert.Equal("test:2:2024-03-18T12:00:00Z", reminder.Cause);
        Assert.Equal("You scored 40% on 'Quiz' in 'Git basics' and did not pass. 1 question was wrong. Review and retake it.", reminder.Reason);
    }

    [Fact]
    public void Completed_courses_and_instructors_get_no_reminders()
    {
        var failed = new TestView("2", "Quiz", 40, false, "Failed", Now.AddDays(-2), []);

        Assert.Empty(ReminderRules.Evaluate(Enrollment(percent: 100, lastActivity: Now.AddDays(-60), due: Now.AddDays(1)), Now, Thresholds));
        Assert.Empty(ReminderRules.Evaluate(Enrollment(lastActivity: Now.AddDays(-60), role: "instructor", tests: failed), Now, Thresholds));
    }

    [Theory]
    [InlineData("22:30", true)]
    [InlineData("06:59", true)]
    [InlineData("07:00", false)]
    [InlineData("12:00", false)]
    public void Quiet_hours_wrap_midnight(string utcTime, bool quiet)
    {
        var preference = new ReminderPreferenceRecord(false, new TimeOnly(21, 0), new TimeOnly(7, 0), "UTC");
        var at = new DateTimeOffset(new DateOnly(2024, 3, 20), TimeOnly.Parse(utcTime, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero);

        Assert.Equal(quiet, preference.IsQuietAt(at));
    }

    [Fact]
    public void Quiet_hours_are_read_in_the_learners_time_zone()
    {
        // 20:30 UTC is 22:30 in Athens (UTC+2 in March before DST).
        var preference = new ReminderPreferenceRecord(false, new TimeOnly(21, 0), new TimeOnly(7, 0), "Europe/Athens");

        Assert.True(preference.IsQuietAt(new DateTimeOffset(2024, 3, 20, 20, 30, 0, TimeSpan.Zero)));
        Assert.False(preference.IsQuietAt(new DateTimeOffset(2024, 3, 20, 18, 30, 0, TimeSpan.Zero)));
    }
}
