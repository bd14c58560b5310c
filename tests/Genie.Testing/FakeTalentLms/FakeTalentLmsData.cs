namespace Genie.Testing.FakeTalentLms;

/// <summary>
/// The portal state a <see cref="FakeTalentLmsServer"/> serves. Build a scenario with the Add/Enroll/
/// Complete/RecordTest methods; completion percentages are derived from unit progress the way
/// TalentLMS reports them (completed learnable units over learnable units; sections excluded).
/// All members lock, so tests may change the portal while a sync runs.
/// </summary>
public sealed class FakeTalentLmsData
{
    private readonly object _gate = new();
    private int _nextUserId = 100;
    private int _nextCourseId = 200;
    private int _nextUnitId = 3000;
    private int _nextQuestionId = 9000;

    internal object Gate => _gate;

    internal List<FakeUser> Users { get; } = [];

    internal List<FakeCourse> Courses { get; } = [];

    internal List<FakeEnrollment> Enrollments { get; } = [];

    internal Dictionary<(string UserId, string UnitId), FakeUnitProgress> UnitProgress { get; } = [];

    internal Dictionary<(string UserId, string TestId), FakeTestAttempt> TestAttempts { get; } = [];

    public FakeUser AddUser(string email, string firstName, string lastName, string userType = "Learner-Type")
    {
        lock (_gate)
        {
            var user = new FakeUser((_nextUserId++).ToString(), email.Split('@')[0], firstName, lastName, email, userType);
            Users.Add(user);
            return user;
        }
    }

    public FakeCourse AddCourse(string name, string code = "", DateTimeOffset? expiration = null, DateTimeOffset? lastUpdate = null)
    {
        lock (_gate)
        {
            var course = new FakeCourse((_nextCourseId++).ToString(), name, code)
            {
                Expiration = expiration,
                LastUpdateOn = lastUpdate ?? new DateTimeOffset(2024, 1, 15, 9, 30, 0, TimeSpan.Zero),
            };
            Courses.Add(course);
            return course;
        }
    }

    public FakeUnit AddUnit(FakeCourse course, string name, string type = "Content")
    {
        lock (_gate)
        {
            var unit = new FakeUnit((_nextUnitId++).ToString(), name, type, $"https://fake.talentlms.com/unit/view/id:{_nextUnitId - 1}");
            course.Units.Add(unit);
            return unit;
        }
    }

    public void Enroll(FakeUser user, FakeCourse course, string role = "learner", DateTimeOffset? enrolledOn = null, DateTimeOffset? expiresOn = null)
    {
        lock (_gate)
        {
            if (Enrollments.Any(e => e.UserId == user.Id && e.CourseId == course.Id))
                throw new InvalidOperationException($"{user.Email} is already enrolled in {course.Name}");
            Enrollments.Add(new FakeEnrollment(user.Id, course.Id, role, enrolledOn ?? new DateTimeOffset(2024, 2, 1, 8, 0, 0, TimeSpan.Zero))
            {
                ExpiresOn = expiresOn,
            });
        }
    }

    public void CompleteUnit(FakeUser user, FakeUnit unit, DateTimeOffset completedOn, string status = "Completed", string score = "", long seconds = 120)
    {
        lock (_gate)
        {
            UnitProgress[(user.Id, unit.Id)] = new FakeUnitProgress(status, completedOn, score);
            var enrollment = Enrollments.Single(e => e.UserId == user.Id && Courses.Single(c => c.Id == e.CourseId).Units.Contains(unit));
            enrollment.TotalTimeSeconds += seconds;
        }
    }

    /// <summary>Records a test attempt (replacing an earlier one) and the test unit's status.</summary>
    public void RecordTest(FakeUser user, FakeUnit test, double scorePercent, bool passed, DateTimeOffset completedOn, params FakeQuestion[] questions)
    {
        lock (_gate)
        {
            var numbered = questions.Select(q => q with { Id = q.Id.Length > 0 ? q.Id : (_nextQuestionId++).ToString() }).ToList();
            TestAttempts[(user.Id, test.Id)] = new FakeTestAttempt(scorePercent, passed, completedOn, numbered);
            CompleteUnit(user, test, completedOn, passed ? "Passed" : "Failed", scorePercent.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Sets when the user's enrolment in the course expires (TalentLMS's expired_on).</summary>
    public void SetEnrollmentExpiry(FakeUser user, FakeCourse course, DateTimeOffset? expiresOn)
    {
        lock (_gate)
            Enrollments.Single(e => e.UserId == user.Id && e.CourseId == course.Id).ExpiresOn = expiresOn;
    }

    /// <summary>Deletes the user and their enrolments, as deleting a user in TalentLMS does.</summary>
    public void RemoveUser(FakeUser user)
    {
        lock (_gate)
        {
            Users.Remove(user);
            Enrollments.RemoveAll(e => e.UserId == user.Id);
        }
    }

    public FakeUser User(string email)
    {
        lock (_gate)
            return Users.Single(u => string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase));
    }

    public bool IsEnrolled(FakeUser user, FakeCourse course)
    {
        lock (_gate)
            return Enrollments.Any(e => e.UserId == user.Id && e.CourseId == course.Id);
    }

    internal int CompletionPercentage(string userId, FakeCourse course)
    {
        var learnable = course.Units.Where(u => !u.IsSection).ToList();
        if (learnable.Count == 0)
            return 0;
        var done = learnable.Count(u => UnitProgress.TryGetValue((userId, u.Id), out var p) && p.IsComplete);
        return (int)Math.Round(100.0 * done / learnable.Count, MidpointRounding.AwayFromZero);
    }

    internal DateTimeOffset? CompletedOn(string userId, FakeCourse course) =>
        CompletionPercentage(userId, course) == 100
            ? course.Units.Where(u => !u.IsSection).Max(u => UnitProgress[(userId, u.Id)].CompletedOn)
            : null;
}

public sealed record FakeUser(string Id, string Login, string FirstName, string LastName, string Email, string UserType)
{
    public string Status { get; set; } = "active";
}

public sealed record FakeCourse(string Id, string Name, string Code)
{
    public string Description { get; set; } = "";

    public string Status { get; set; } = "active";

    public DateTimeOffset LastUpdateOn { get; set; }

    public DateTimeOffset? Expiration { get; set; }

    public List<FakeUnit> Units { get; } = [];
}

public sealed record FakeUnit(string Id, string Name, string Type, string Url)
{
    public bool IsSection => Type == "Section";
}

public sealed record FakeEnrollment(string UserId, string CourseId, string Role, DateTimeOffset EnrolledOn)
{
    public DateTimeOffset? ExpiresOn { get; set; }

    public long TotalTimeSeconds { get; set; }
}

public sealed record FakeUnitProgress(string Status, DateTimeOffset CompletedOn, string Score)
{
    public bool IsComplete => Status is "Completed" or "Passed";
}

public sealed record FakeTestAttempt(double ScorePercent, bool Passed, DateTimeOffset CompletedOn, IReadOnlyList<FakeQuestion> Questions);

/// <summary>A test question as gettestanswers reports it; answers are keyed "1", "2", ... in the payload.</summary>
public sealed record FakeQuestion(string Text, bool Correct, string[] UserAnswers, string[] CorrectAnswers, string Type = "Multiple choice", string Id = "");
