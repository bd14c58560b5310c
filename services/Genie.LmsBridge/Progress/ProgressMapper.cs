using Genie.Contracts.Lms.V1;
using Google.Protobuf.WellKnownTypes;

namespace Genie.LmsBridge.Progress;

/// <summary>Stored progress → contract messages. The numbers are passed through untouched.</summary>
public static class ProgressMapper
{
    public static CourseProgress ToCourseProgress(EnrollmentView e)
    {
        var progress = new CourseProgress
        {
            CourseId = e.CourseId,
            CourseName = e.CourseName,
            CourseCode = e.CourseCode,
            Role = e.Role,
            CompletionPercent = e.CompletionPercent,
            Status = StatusOf(e),
            StatusText = e.StatusText,
            EnrolledAt = Stamp(e.EnrolledAt),
            CompletedAt = Stamp(e.CompletedAt),
            LastActivityAt = Stamp(e.LastActivityAt ?? e.EnrolledAt),
            DueAt = Stamp(e.DueAt),
            TotalTimeSeconds = e.TotalTimeSeconds,
            UnitsTotal = e.UnitsTotal,
            UnitsCompleted = e.UnitsCompleted,
        };
        if (e.NextUnit is { } next)
        {
            progress.NextUnit = new NextUnit
            {
                UnitId = next.UnitId, Name = next.Name, Type = next.Type, Url = next.Url, Position = e.NextUnitPosition,
                StatusText = next.HasProgress ? next.StatusText : "Not attempted",
            };
        }
        progress.TestScores.AddRange(e.Tests.Select(ToTestScore));
        return progress;
    }

    public static TestScore ToTestScore(TestView t) => new()
    {
        TestId = t.TestId,
        TestName = t.TestName,
        ScorePercent = t.ScorePercent,
        Passed = t.Passed,
        StatusText = t.StatusText,
        CompletedAt = Stamp(t.CompletedAt),
        QuestionsTotal = t.Questions.Count,
        QuestionsWrong = t.Questions.Count(q => !q.Correct),
    };

    public static TestQuestion ToQuestion(Sync.StoredQuestion q)
    {
        var question = new TestQuestion { QuestionId = q.Id, Text = q.Text, Type = q.Type, Weight = q.Weight, Correct = q.Correct };
        question.UserAnswers.AddRange(q.UserAnswers);
        question.CorrectAnswers.AddRange(q.CorrectAnswers);
        return question;
    }

    public static AssignedCourse ToAssignedCourse(EnrollmentView e) => new()
    {
        CourseId = e.CourseId,
        Name = e.CourseName,
        Code = e.CourseCode,
        Role = e.Role,
        CompletionPercent = e.CompletionPercent,
        Status = StatusOf(e),
        DueAt = Stamp(e.DueAt),
    };

    public static TeamMemberProgress ToTeamRow(EnrollmentView e) => new()
    {
        Email = e.Email,
        Name = e.FullName,
        CourseId = e.CourseId,
        CourseName = e.CourseName,
        CompletionPercent = e.CompletionPercent,
        Status = StatusOf(e),
        LastActivityAt = Stamp(e.LastActivityAt ?? e.EnrolledAt),
        DueAt = Stamp(e.DueAt),
        FailedTests = e.FailedTests.Count(),
    };

    public static LearnerProgress ToLearnerProgress(string email, string name, string? userId, IReadOnlyList<EnrollmentView> courses, DateTimeOffset? dataAsOf)
    {
        var progress = new LearnerProgress
        {
            Email = email,
            Name = name,
            Matched = userId is not null,
            TalentlmsUserId = userId ?? "",
            DataAsOf = Stamp(dataAsOf),
        };
        progress.Courses.AddRange(courses.Select(ToCourseProgress));
        var learning = courses.Where(c => c.Role == "learner").ToList();
        progress.OverallCompletionPercent = learning.Count == 0
            ? 0
            : (int)Math.Round(learning.Average(c => c.CompletionPercent), MidpointRounding.AwayFromZero);
        return progress;
    }

    public static CourseStatus StatusOf(EnrollmentView e) =>
        e.IsCompleted ? CourseStatus.Completed : e.IsStarted ? CourseStatus.InProgress : CourseStatus.NotStarted;

    public static Timestamp? Stamp(DateTimeOffset? at) => at is { } value ? Timestamp.FromDateTimeOffset(value) : null;
}
