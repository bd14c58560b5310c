namespace Genie.LmsBridge.TalentLms;

// Typed views of the API v1 payloads: ids stay strings (as TalentLMS sends them), numbers and dates
// are parsed once at the edge. Times come from the *_timestamp siblings (Unix seconds).

public sealed record TlmsUser(
    string Id, string Login, string FirstName, string LastName, string Email, string UserType, string Status,
    IReadOnlyList<TlmsUserCourse> Courses)
{
    public string FullName => $"{FirstName} {LastName}".Trim();
}

/// <summary>An item of <c>users/id:N</c> → <c>courses[]</c>.</summary>
public sealed record TlmsUserCourse(
    string Id, string Name, string Role, DateTimeOffset? EnrolledOn, DateTimeOffset? CompletedOn,
    string CompletionStatus, int CompletionPercentage, DateTimeOffset? ExpiredOn, long TotalTimeSeconds,
    string LastAccessedUnitUrl);

public sealed record TlmsCourse(
    string Id, string Name, string Code, string Description, string Status, string LastUpdateOn,
    DateTimeOffset? ExpiresAt);

public sealed record TlmsCourseDetail(TlmsCourse Course, IReadOnlyList<TlmsUnit> Units, IReadOnlyList<TlmsCourseUser> Users);

public sealed record TlmsUnit(string Id, string Type, string Name, string Url)
{
    /// <summary>A section header groups units; it is not something a learner completes.</summary>
    public bool IsSection => string.Equals(Type, "Section", StringComparison.OrdinalIgnoreCase);

    public bool IsTest => string.Equals(Type, "Test", StringComparison.OrdinalIgnoreCase);
}

/// <summary>An item of <c>courses/id:N</c> → <c>users[]</c>.</summary>
public sealed record TlmsCourseUser(
    string Id, string Name, string Role, DateTimeOffset? EnrolledOn, DateTimeOffset? CompletedOn,
    int CompletionPercentage, DateTimeOffset? ExpiredOn, long TotalTimeSeconds);

/// <summary><c>getuserstatusincourse</c>.</summary>
public sealed record TlmsUserCourseStatus(
    string Role, DateTimeOffset? EnrolledOn, string CompletionStatus, int CompletionPercentage,
    DateTimeOffset? CompletedOn, DateTimeOffset? ExpiredOn, long TotalTimeSeconds,
    IReadOnlyList<TlmsUnitStatus> Units);

public sealed record TlmsUnitStatus(
    string Id, string Name, string Type, string CompletionStatus, DateTimeOffset? CompletedOn, string Score,
    long TotalTimeSeconds)
{
    public bool IsCompleted => TalentLmsStatus.IsUnitComplete(CompletionStatus);
}

/// <summary><c>gettestanswers</c>.</summary>
public sealed record TlmsTestAnswers(
    string TestId, string TestName, string UserId, double ScorePercent, string CompletionStatus,
    DateTimeOffset? CompletedOn, IReadOnlyList<TlmsQuestion> Questions)
{
    public bool Passed => TalentLmsStatus.IsPassed(CompletionStatus);
}

public sealed record TlmsQuestion(
    string Id, string Text, string Type, double Weight, bool Correct,
    IReadOnlyList<string> UserAnswers, IReadOnlyList<string> CorrectAnswers);

public sealed record TlmsSiteInfo(int TotalUsers, int TotalCourses, string DateFormat);

public sealed record TlmsRateLimit(int Limit, int Remaining, DateTimeOffset? Reset);

public sealed record TlmsEnrollment(string UserId, string CourseId, string Role);

/// <summary>TalentLMS status words vary in case and spelling across versions; compare loosely.</summary>
public static class TalentLmsStatus
{
    public static bool IsCourseComplete(string status) =>
        status.Trim().Equals("completed", StringComparison.OrdinalIgnoreCase);

    public static bool IsUnitComplete(string status) =>
        status.Trim().ToLowerInvariant() is "completed" or "passed";

    public static bool IsPassed(string status) =>
        status.Trim().ToLowerInvariant() is "passed" or "completed";

    public static bool IsFailed(string status) =>
        status.Trim().Equals("failed", StringComparison.OrdinalIgnoreCase);

    public static bool IsNotAttempted(string status) =>
        status.Trim().Length == 0 ||
        status.Trim().Replace('_', ' ').Equals("not attempted", StringComparison.OrdinalIgnoreCase);
}
