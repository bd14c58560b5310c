using System.Globalization;
using Genie.LmsBridge.Progress;

namespace Genie.LmsBridge.Reminders;

public static class ReminderRuleNames
{
    public const string NoProgress = "no_progress";
    public const string DueSoon = "due_soon";
    public const string FailedTest = "failed_test";
}

/// <summary>
/// A reminder that should exist. <see cref="Cause"/> pins down exactly what triggered it (the
/// inactivity period's start, the due date, the failed attempt), so one cause yields one reminder
/// however often the rules run; a new cause (new inactivity after progress, a new failed attempt)
/// yields a new one.
/// </summary>
public sealed record ReminderCandidate(string Email, string CourseId, string CourseName, string Rule, string Cause, string Reason, string NextUnitUrl);

public sealed record ReminderThresholds(int NoProgressDays, int DueSoonDays);

/// <summary>The reminder rules, pure: facts and a clock in, candidates out.</summary>
public static class ReminderRules
{
    public static IEnumerable<ReminderCandidate> Evaluate(EnrollmentView e, DateTimeOffset now, ReminderThresholds thresholds)
    {
        if (e.Role != "learner" || e.IsCompleted)
            yield break;
        var nextUrl = e.NextUnit?.Url ?? "";
        var next = e.NextUnit is { } unit ? $" Next up: '{unit.Name}'." : "";

        if ((e.LastActivityAt ?? e.EnrolledAt) is { } since && now - since >= TimeSpan.FromDays(thresholds.NoProgressDays))
        {
            var days = (int)(now - since).TotalDays;
            yield return new ReminderCandidate(e.Email, e.CourseId, e.CourseName, ReminderRuleNames.NoProgress, $"since:{Stamp(since)}",
                $"No progress in '{e.CourseName}' for {days} days ({e.CompletionPercent}% complete).{next}", nextUrl);
        }

        if (e.DueAt is { } due && due > now && due - now <= TimeSpan.FromDays(thresholds.DueSoonDays))
        {
            var left = Math.Max(0, (int)Math.Ceiling((due - now).TotalDays));
            yield return new ReminderCandidate(e.Email, e.CourseId, e.CourseName, ReminderRuleNames.DueSoon, $"due:{Stamp(due)}",
                $"'{e.CourseName}' is due on {due.UtcDateTime:yyyy-MM-dd} ({left} day{(left == 1 ? "" : "s")} left) and is {e.CompletionPercent}% complete.{next}",
                nextUrl);
        }

        foreach (var test in e.FailedTests)
        {
            var attempt = test.CompletedAt is { } at ? Stamp(at) : "unknown";
            var score = test.ScorePercent.ToString("0.##", CultureInfo.InvariantCulture);
            var wrong = test.Questions.Count(q => !q.Correct);
            var detail = wrong > 0 ? $" {wrong} question{(wrong == 1 ? " was" : "s were")} wrong." : "";
            yield return new ReminderCandidate(e.Email, e.CourseId, e.CourseName, ReminderRuleNames.FailedTest, $"test:{test.TestId}:{attempt}",
                $"You scored {score}% on '{test.TestName}' in '{e.CourseName}' and did not pass.{detail} Review and retake it.",
                e.Units.FirstOrDefault(u => u.UnitId == test.TestId)?.Url ?? nextUrl);
        }
    }

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
