using System.Globalization;
using System.Text;
using Genie.Contracts.Lms.V1;
using Google.Protobuf.WellKnownTypes;

namespace Genie.Agent.Learning;

/// <summary>
/// The Learning Bot's answers without a model: deterministic, friendly Markdown built only from what
/// LmsBridge returned. Percentages, unit names and URLs are copied, never recomputed.
/// </summary>
public static class LearningAnswers
{
    public const string ModelId = "builtin-learning";

    public const string Help =
        "I'm your learning mentor. Ask me what to do next, how you're doing in your courses, what you got wrong in your last quiz, " +
        "which courses you have or whether you have reminders; I can also explain topics from your course material when it is in a knowledge base you can read.";

    public static string Unavailable(string problem) =>
        $"I can't reach your learning records right now, so I can't tell you about your courses or progress. Please try again in a few minutes. ({problem})";

    public static string NotLinked(string email) =>
        $"I can't find you in TalentLMS: no TalentLMS user has the e-mail {email}. Ask your learning admin to add you there (or to correct your e-mail); " +
        "after the next sync I'll be able to show your courses, progress and quiz results.";

    public static string NoCourses =>
        "You have no courses assigned in TalentLMS yet. When an instructor assigns one, I'll show it here with your progress.";

    /// <summary>The course whose next unit comes first: started courses before new ones, then the nearest due date, then the latest activity.</summary>
    public static IReadOnlyList<CourseProgress> Pending(LearnerProgress progress) => progress.Courses
        .Where(c => c.NextUnit is not null && c.Status != CourseStatus.Completed)
        .OrderBy(c => c.Status == CourseStatus.InProgress || c.UnitsCompleted > 0 ? 0 : 1)
        .ThenBy(c => c.DueAt?.ToDateTimeOffset() ?? DateTimeOffset.MaxValue)
        .ThenByDescending(c => c.LastActivityAt?.ToDateTimeOffset() ?? DateTimeOffset.MinValue)
        .ToList();

    public static string NextStep(LearnerProgress progress)
    {
        if (Unusable(progress) is { } reason) return reason;
        var pending = Pending(progress);
        if (pending.Count == 0)
            return $"You've completed all your courses ({progress.Courses.Count}). Nothing is waiting for you right now — well done!" + AsOf(progress.DataAsOf);

        var first = pending[0];
        var unit = first.NextUnit;
        var text = new StringBuilder();
        text.Append(IsFailed(unit) ? "Next: retake " : "Next: ").Append(UnitTitle(unit)).Append(" in *").Append(first.CourseName)
            .Append("* (you're at ").Append(Percent(first.CompletionPercent)).Append(')');
        if (IsFailed(unit)) text.Append("; your last attempt: ").Append(unit.StatusText);
        text.Append('.');
        if (unit.Url.Length > 0) text.Append(" Open it: ").Append(unit.Url);
        if (first.DueAt is { } due) text.Append("\nThe course is due ").Append(Day(due)).Append('.');
        if (pending.Count > 1)
        {
            text.Append("\n\nAlso waiting for you:");
            foreach (var course in pending.Skip(1))
            {
                text.Append("\n- *").Append(course.CourseName).Append("* (").Append(Percent(course.CompletionPercent)).Append("): ")
                    .Append(UnitTitle(course.NextUnit));
                if (course.NextUnit.Url.Length > 0) text.Append(" — ").Append(course.NextUnit.Url);
            }
        }
        return text.Append(AsOf(progress.DataAsOf)).ToString();
    }

    public static string Progress(LearnerProgress progress)
    {
        if (Unusable(progress) is { } reason) return reason;
        var text = new StringBuilder();
        text.Append("Overall you're at **").Append(Percent(progress.OverallCompletionPercent)).Append("** across ")
            .Append(Count(progress.Courses.Count, "course")).Append(":\n");
        foreach (var course in progress.Courses)
        {
            text.Append("- *").Append(course.CourseName).Append("*: **").Append(Percent(course.CompletionPercent)).Append("** — ")
                .Append(course.UnitsCompleted).Append(" of ").Append(Count(course.UnitsTotal, "unit")).Append(" done, ").Append(StatusWords(course));
            if (course.LastActivityAt is { } last) text.Append("; last activity ").Append(Day(last));
            if (course.DueAt is { } due && course.Status != CourseStatus.Completed) text.Append("; due ").Append(Day(due));
            if (course.TestScores.Count > 0)
            {
                text.Append(". Tests: ").Append(string.Join(", ", course.TestScores.Select(s =>
                    $"{s.TestName} {Score(s.ScorePercent)} ({(s.StatusText.Length > 0 ? s.StatusText : s.Passed ? "Passed" : "Failed")})")));
            }
            text.Append('\n');
        }
        var next = Pending(progress).FirstOrDefault();
        if (next is not null) text.Append("\nNext up: ").Append(UnitTitle(next.NextUnit)).Append(" in *").Append(next.CourseName).Append("*.");
        return text.ToString().TrimEnd() + AsOf(progress.DataAsOf);
    }

    public static string LastQuiz(TestResult result)
    {
        if (!result.Found) return "I don't see any quiz or test results for you yet. Once you've taken one, ask me again and I'll go through it with you.";
        var score = result.Score;
        var text = new StringBuilder();
        text.Append("Your last quiz was **").Append(score.TestName).Append("** in *").Append(result.CourseName).Append("*: **")
            .Append(Score(score.ScorePercent)).Append("** — ").Append(score.StatusText.Length > 0 ? score.StatusText : score.Passed ? "Passed" : "Failed");
        if (score.CompletedAt is { } at) text.Append(" (").Append(Day(at)).Append(')');
        text.Append('.');
        if (result.Questions.Count == 0)
            return text.Append("\nTalentLMS didn't provide the answers for this test, so I can't go through the questions.").ToString();

        var wrong = result.Questions.Where(q => !q.Correct).ToList();
        if (wrong.Count == 0)
            return text.Append($"\nYou answered all {result.Questions.Count} questions correctly.").ToString();
        text.Append("\nYou got ").Append(wrong.Count).Append(" of ").Append(Count(result.Questions.Count, "question")).Append(" wrong:");
        var n = 1;
        foreach (var question in wrong)
        {
            text.Append('\n').Append(n++).Append(". ").Append(question.Text.ReplaceLineEndings(" ").Trim()).Append(" — you answered ")
                .Append(Answers(question.UserAnswers, "nothing")).Append("; the correct answer is ").Append(Answers(question.CorrectAnswers, "not given")).Append('.');
        }
        if (!score.Passed) text.Append("\n\nA failed test isn't complete yet, so it will come back as a next step — review these before retaking it.");
        return text.ToString();
    }

    public static string Courses(ListAssignedCoursesResponse courses)
    {
        if (courses.Courses.Count == 0) return NoCourses;
        var text = new StringBuilder();
        text.Append("You're enrolled in ").Append(Count(courses.Courses.Count, "course")).Append(':');
        foreach (var course in courses.Courses)
        {
            text.Append("\n- *").Append(course.Name).Append('*');
            if (course.Code.Length > 0) text.Append(" (").Append(course.Code).Append(')');
            text.Append(": ").Append(Percent(course.CompletionPercent)).Append(", ").Append(StatusWords(course.Status));
            if (course.Role == "instructor") text.Append(", as instructor");
            if (course.DueAt is { } due && course.Status != CourseStatus.Completed) text.Append(", due ").Append(Day(due));
        }
        return text.ToString() + AsOf(courses.DataAsOf);
    }

    public static string Reminders(ListRemindersResponse reminders)
    {
        var open = reminders.Reminders.Where(r => r.AcknowledgedAt is null && r.ResolvedAt is null).ToList();
        if (open.Count == 0) return "You have no open reminders — you're on track.";
        var text = new StringBuilder();
        text.Append("You have ").Append(Count(open.Count, "open reminder")).Append(':');
        foreach (var reminder in open)
        {
            text.Append("\n- ").Append(reminder.Reason);
            if (reminder.NextUnitUrl.Length > 0) text.Append(" — continue here: ").Append(reminder.NextUnitUrl);
        }
        return text.ToString();
    }

    private static string? Unusable(LearnerProgress progress) =>
        !progress.Matched ? NotLinked(progress.Email) : progress.Courses.Count == 0 ? NoCourses : null;

    private static bool IsFailed(NextUnit unit) => unit.StatusText.Contains("fail", StringComparison.OrdinalIgnoreCase);

    private static string UnitTitle(NextUnit unit) =>
        unit.Position > 0 ? $"**Unit {unit.Position} — {unit.Name}**" : $"**{unit.Name}**";

    private static string StatusWords(CourseProgress course) => course.Status == CourseStatus.Unspecified && course.StatusText.Length > 0
        ? course.StatusText
        : StatusWords(course.Status);

    private static string StatusWords(CourseStatus status) => status switch
    {
        CourseStatus.Completed => "completed",
        CourseStatus.InProgress => "in progress",
        CourseStatus.NotStarted => "not started",
        _ => "status unknown",
    };

    private static string Answers(IEnumerable<string> answers, string none)
    {
        var list = answers.Where(a => a.Length > 0).Select(a => $"\"{a}\"").ToList();
        return list.Count == 0 ? none : string.Join(" and ", list);
    }

    private static string Percent(int value) => value.ToString(CultureInfo.InvariantCulture) + "%";

    private static string Score(double value) => value.ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";

    private static string Day(Timestamp at) => at.ToDateTimeOffset().ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    private static string AsOf(Timestamp? at) => at is null
        ? ""
        : $"\n\n_TalentLMS data as of {at.ToDateTimeOffset().ToString("d MMM yyyy HH:mm", CultureInfo.InvariantCulture)} UTC._";
}
