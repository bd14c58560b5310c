using Genie.LmsBridge.Sync;
using Genie.LmsBridge.TalentLms;

namespace Genie.LmsBridge.Progress;

/// <summary>One learner in one course, as stored by the last sync, with what follows from it.</summary>
public sealed record EnrollmentView(
    string Email, string UserId, string FullName, string CourseId, string CourseName, string CourseCode, string Role,
    int CompletionPercent, string StatusText, DateTimeOffset? EnrolledAt, DateTimeOffset? CompletedAt,
    DateTimeOffset? EnrollmentExpiresAt, DateTimeOffset? CourseExpiresAt, DateTimeOffset? LastActivityAt, long TotalTimeSeconds,
    IReadOnlyList<UnitView> Units, IReadOnlyList<TestView> Tests)
{
    public bool IsCompleted => CompletedAt is not null || CompletionPercent >= 100 || TalentLmsStatus.IsCourseComplete(StatusText);

    /// <summary>The enrolment's own expiry, else the course's.</summary>
    public DateTimeOffset? DueAt => EnrollmentExpiresAt ?? CourseExpiresAt;

    public IEnumerable<UnitView> LearnableUnits => Units.Where(u => !u.IsSection);

    public int UnitsTotal => LearnableUnits.Count();

    public int UnitsCompleted => LearnableUnits.Count(u => u.Completed);

    /// <summary>
    /// The first learnable unit, in course order, that is not complete (a failed test counts as not
    /// complete); null once the course is complete.
    /// </summary>
    public UnitView? NextUnit => IsCompleted ? null : LearnableUnits.FirstOrDefault(u => !u.Completed);

    public int NextUnitPosition => NextUnit is { } next ? LearnableUnits.TakeWhile(u => u != next).Count() + 1 : 0;

    public bool IsStarted => CompletionPercent > 0 || Units.Any(u => u.HasProgress && !TalentLmsStatus.IsNotAttempted(u.StatusText));

    /// <summary>The latest attempt of each test that is currently failed.</summary>
    public IEnumerable<TestView> FailedTests => Tests.Where(t => !t.Passed);
}

public sealed record UnitView(
    string UnitId, int Position, string Name, string Type, string Url, bool IsSection,
    bool HasProgress, string StatusText, bool Completed, string Score, DateTimeOffset? CompletedAt);

public sealed record TestView(
    string TestId, string TestName, double ScorePercent, bool Passed, string StatusText, DateTimeOffset? CompletedAt,
    IReadOnlyList<StoredQuestion> Questions);

/// <summary>Which enrolments to load; null members do not filter.</summary>
public sealed record EnrollmentFilter(
    IReadOnlyCollection<string>? Emails = null, IReadOnlyCollection<string>? CourseIds = null, string? Role = null);
