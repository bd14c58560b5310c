using Genie.LmsBridge.TalentLms;

namespace Genie.LmsBridge.Sync;

/// <summary>Everything one sync read from TalentLMS, validated, before a single row is written.</summary>
public sealed record SyncSnapshot(
    IReadOnlyList<TlmsUser> Users,
    IReadOnlyList<TlmsCourse> Courses,
    IReadOnlyList<CourseSnapshot> FetchedCourses,
    IReadOnlyList<string> Failures,
    int SkippedUnchanged)
{
    /// <summary>Courses whose detail could not be read keep their previous rows.</summary>
    public IEnumerable<string> KeptCourseIds =>
        Courses.Select(c => c.Id).Except(FetchedCourses.Select(c => c.Detail.Course.Id));

    public int EnrollmentCount => FetchedCourses.Sum(c => c.Enrollments.Count);
}

public sealed record CourseSnapshot(TlmsCourseDetail Detail, IReadOnlyList<EnrollmentSnapshot> Enrollments);

/// <summary>
/// One enrolment as listed in the course. <see cref="Status"/> is null when its progress was unchanged
/// (or its detail failed): the stored detail stays. <see cref="DetailFailed"/> marks the latter.
/// </summary>
public sealed record EnrollmentSnapshot(
    TlmsCourseUser User,
    string Fingerprint,
    TlmsUserCourseStatus? Status,
    IReadOnlyList<TlmsTestAnswers> Tests,
    bool DetailFailed)
{
    public DateTimeOffset? LastActivity =>
        Status?.Units.Select(u => u.CompletedOn).Append(Status.EnrolledOn ?? User.EnrolledOn).Max();
}

public sealed record SyncStep(string Stage, int Done, int Total, string Message);
