using System.Text.Json;
using Dapper;
using Npgsql;
using Genie.LmsBridge.Sync;

namespace Genie.LmsBridge.Progress;

/// <summary>Reads enrolments with their units, unit progress and test results from <c>lms</c>.</summary>
public sealed class ProgressReader(NpgsqlDataSource db)
{
    public async Task<IReadOnlyList<EnrollmentView>> LoadAsync(EnrollmentFilter filter, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<EnrollmentRow>(new CommandDefinition(
            """
            SELECT u.email AS Email, e.user_id AS UserId, trim(u.first_name || ' ' || u.last_name) AS FullName,
                   e.course_id AS CourseId, c.name AS CourseName, c.code AS CourseCode, e.role AS Role,
                   e.completion_percent AS CompletionPercent, e.status_text AS StatusText, e.enrolled_at AS EnrolledAt,
                   e.completed_at AS CompletedAt, e.expires_at AS ExpiresAt, c.expires_at AS CourseExpiresAt,
                   e.last_activity_at AS LastActivityAt, e.total_time_seconds AS TotalTimeSeconds
            FROM lms.enrollments e
            JOIN lms.users u ON u.user_id = e.user_id
            JOIN lms.courses c ON c.course_id = e.course_id
            WHERE (@emails::text[] IS NULL OR u.email = ANY(@emails))
              AND (@courses::text[] IS NULL OR e.course_id = ANY(@courses))
              AND (@role::text IS NULL OR e.role = @role)
            ORDER BY u.email, c.name, e.course_id
            """,
            new
            {
                emails = filter.Emails?.Select(e => e.Trim().ToLowerInvariant()).ToArray(),
                courses = filter.CourseIds?.ToArray(),
                role = filter.Role,
            }, cancellationToken: ct))).ToList();
        if (rows.Count == 0)
            return [];

        var courseIds = rows.Select(r => r.CourseId).Distinct().ToArray();
        var userIds = rows.Select(r => r.UserId).Distinct().ToArray();
        var units = (await connection.QueryAsync<UnitRow>(new CommandDefinition(
            """
            SELECT course_id AS CourseId, unit_id AS UnitId, position AS Position, name AS Name, type AS Type, url AS Url, is_section AS IsSection
            FROM lms.units WHERE course_id = ANY(@courseIds) ORDER BY course_id, position
            """, new { courseIds }, cancellationToken: ct))).ToLookup(u => u.CourseId);
        var progress = (await connection.QueryAsync<ProgressRow>(new CommandDefinition(
            """
            SELECT course_id AS CourseId, user_id AS UserId, unit_id AS UnitId, status_text AS StatusText, completed AS Completed,
                   completed_at AS CompletedAt, score AS Score
            FROM lms.unit_progress WHERE course_id = ANY(@courseIds) AND user_id = ANY(@userIds)
            """, new { courseIds, userIds }, cancellationToken: ct))).ToDictionary(p => (p.CourseId, p.UserId, p.UnitId));
        var tests = (await connection.QueryAsync<TestRow>(new CommandDefinition(
            """
            SELECT t.course_id AS CourseId, t.user_id AS UserId, t.test_id AS TestId, t.test_name AS TestName,
                   t.score_percent AS ScorePercent, t.passed AS Passed, t.status_text AS StatusText, t.completed_at AS CompletedAt,
                   t.questions::text AS Questions, coalesce(un.position, 0) AS Position
            FROM lms.test_results t
            LEFT JOIN lms.units un ON un.course_id = t.course_id AND un.unit_id = t.test_id
            WHERE t.course_id = ANY(@courseIds) AND t.user_id = ANY(@userIds)
            ORDER BY Position
            """, new { courseIds, userIds }, cancellationToken: ct))).ToLookup(t => (t.CourseId, t.UserId));

        return rows.Select(r => new EnrollmentView(
            r.Email, r.UserId, r.FullName, r.CourseId, r.CourseName, r.CourseCode, r.Role, r.CompletionPercent, r.StatusText,
            Utc(r.EnrolledAt), Utc(r.CompletedAt), Utc(r.ExpiresAt), Utc(r.CourseExpiresAt), Utc(r.LastActivityAt), r.TotalTimeSeconds,
            units[r.CourseId].Select(u => progress.TryGetValue((r.CourseId, r.UserId, u.UnitId), out var p)
                    ? new UnitView(u.UnitId, u.Position, u.Name, u.Type, u.Url, u.IsSection, true, p.StatusText, p.Completed, p.Score, Utc(p.CompletedAt))
                    : new UnitView(u.UnitId, u.Position, u.Name, u.Type, u.Url, u.IsSection, false, "", false, "", null))
                .ToList(),
            tests[(r.CourseId, r.UserId)].Select(t => new TestView(
                    t.TestId, t.TestName, t.ScorePercent, t.Passed, t.StatusText, Utc(t.CompletedAt),
                    JsonSerializer.Deserialize<List<StoredQuestion>>(t.Questions) ?? []))
                .ToList())).ToList();
    }

    /// <summary>The TalentLMS user with this e-mail (the lowest id when several share it).</summary>
    public async Task<LmsUserRecord?> FindUserAsync(string email, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QueryFirstOrDefaultAsync<LmsUserRecord>(new CommandDefinition(
            """
            SELECT user_id AS UserId, trim(first_name || ' ' || last_name) AS FullName, email AS Email
            FROM lms.users WHERE email = @email ORDER BY user_id LIMIT 1
            """, new { email = email.Trim().ToLowerInvariant() }, cancellationToken: ct));
    }

    /// <summary>Courses in which any user with this e-mail is an instructor.</summary>
    public async Task<IReadOnlyList<string>> CoursesTaughtByAsync(string email, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            """
            SELECT DISTINCT e.course_id FROM lms.enrollments e JOIN lms.users u ON u.user_id = e.user_id
            WHERE u.email = @email AND e.role = 'instructor'
            """, new { email = email.Trim().ToLowerInvariant() }, cancellationToken: ct))).ToList();
    }

    public async Task<CourseRecord?> GetCourseAsync(string courseId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var course = await connection.QuerySingleOrDefaultAsync<CourseRow>(new CommandDefinition(
            """
            SELECT course_id AS CourseId, name AS Name, code AS Code, description AS Description, status AS Status, expires_at AS ExpiresAt,
                   (SELECT count(*) FROM lms.enrollments e WHERE e.course_id = c.course_id AND e.role = 'learner')::int AS Learners
            FROM lms.courses c WHERE course_id = @courseId
            """, new { courseId }, cancellationToken: ct));
        if (course is null)
            return null;
        var units = await connection.QueryAsync<UnitRow>(new CommandDefinition(
            """
            SELECT course_id AS CourseId, unit_id AS UnitId, position AS Position, name AS Name, type AS Type, url AS Url, is_section AS IsSection
            FROM lms.units WHERE course_id = @courseId ORDER BY position
            """, new { courseId }, cancellationToken: ct));
        return new CourseRecord(course.CourseId, course.Name, course.Code, course.Description, course.Status, Utc(course.ExpiresAt), course.Learners,
            units.Select(u => new UnitView(u.UnitId, u.Position, u.Name, u.Type, u.Url, u.IsSection, false, "", false, "", null)).ToList());
    }

    private static DateTimeOffset? Utc(DateTime? value) =>
        value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;

    private sealed class EnrollmentRow
    {
        public string Email { get; init; } = "";
        public string UserId { get; init; } = "";
        public string FullName { get; init; } = "";
        public string CourseId { get; init; } = "";
        public string CourseName { get; init; } = "";
        public string CourseCode { get; init; } = "";
        public string Role { get; init; } = "";
        public int CompletionPercent { get; init; }
        public string StatusText { get; init; } = "";
        public DateTime? EnrolledAt { get; init; }
        public DateTime? CompletedAt { get; init; }
        public DateTime? ExpiresAt { get; init; }
        public DateTime? CourseExpiresAt { get; init; }
        public DateTime? LastActivityAt { get; init; }
        public long TotalTimeSeconds { get; init; }
    }

    private sealed class UnitRow
    {
        public string CourseId { get; init; } = "";
        public string UnitId { get; init; } = "";
        public int Position { get; init; }
        public string Name { get; init; } = "";
        public string Type { get; init; } = "";
        public string Url { get; init; } = "";
        public bool IsSection { get; init; }
    }

    private sealed class ProgressRow
    {
        public string CourseId { get; init; } = "";
        public string UserId { get; init; } = "";
        public string UnitId { get; init; } = "";
        public string StatusText { get; init; } = "";
        public bool Completed { get; init; }
        public DateTime? CompletedAt { get; init; }
        public string Score { get; init; } = "";
    }

    private sealed class TestRow
    {
        public string CourseId { get; init; } = "";
        public string UserId { get; init; } = "";
        public string TestId { get; init; } = "";
        public string TestName { get; init; } = "";
        public double ScorePercent { get; init; }
        public bool Passed { get; init; }
        public string StatusText { get; init; } = "";
        public DateTime? CompletedAt { get; init; }
        public string Questions { get; init; } = "[]";
        public int Position { get; init; }
    }

    private sealed class CourseRow
    {
        public string CourseId { get; init; } = "";
        public string Name { get; init; } = "";
        public string Code { get; init; } = "";
        public string Description { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTime? ExpiresAt { get; init; }
        public int Learners { get; init; }
    }
}

public sealed class LmsUserRecord
{
    public string UserId { get; init; } = "";
    public string FullName { get; init; } = "";
    public string Email { get; init; } = "";
}

public sealed record CourseRecord(
    string CourseId, string Name, string Code, string Description, string Status, DateTimeOffset? ExpiresAt, int Learners,
    IReadOnlyList<UnitView> Units);
