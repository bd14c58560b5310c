using System.Text.Json;
using Dapper;
using Npgsql;

namespace Genie.LmsBridge.Sync;

/// <summary>
/// Writes a snapshot in one transaction: either all of it lands or none. Users and courses gone
/// from TalentLMS are removed (with their enrolments); courses whose detail failed keep every row.
/// </summary>
public sealed class SyncWriter(NpgsqlDataSource db)
{
    public async Task<IReadOnlyDictionary<(string CourseId, string UserId), string?>> LoadFingerprintsAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(string CourseId, string UserId, string? Fingerprint)>(new CommandDefinition(
            "SELECT course_id, user_id, fingerprint FROM lms.enrollments", cancellationToken: ct));
        return rows.ToDictionary(r => (r.CourseId, r.UserId), r => r.Fingerprint);
    }

    public async Task WriteAsync(SyncSnapshot snapshot, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        Task<int> Exec(string sql, object? args = null) =>
            connection.ExecuteAsync(new CommandDefinition(sql, args, tx, cancellationToken: ct));

        await Exec(
            """
            INSERT INTO lms.users (user_id, email, login, first_name, last_name, user_type, status, synced_at)
            VALUES (@Id, lower(@Email), @Login, @FirstName, @LastName, @UserType, @Status, now())
            ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, login = excluded.login, first_name = excluded.first_name,
                last_name = excluded.last_name, user_type = excluded.user_type, status = excluded.status, synced_at = now()
            """, snapshot.Users);
        await Exec("DELETE FROM lms.users WHERE NOT (user_id = ANY(@ids))", new { ids = snapshot.Users.Select(u => u.Id).ToArray() });
        await Exec("DELETE FROM lms.courses WHERE NOT (course_id = ANY(@ids))", new { ids = snapshot.Courses.Select(c => c.Id).ToArray() });

        foreach (var course in snapshot.FetchedCourses)
        {
            var c = course.Detail.Course;
            await Exec(
                """
                INSERT INTO lms.courses (course_id, name, code, description, status, last_update_on, expires_at, synced_at)
                VALUES (@Id, @Name, @Code, @Description, @Status, @LastUpdateOn, @ExpiresAt, now())
                ON CONFLICT (course_id) DO UPDATE SET name = excluded.name, code = excluded.code, description = excluded.description,
                    status = excluded.status, last_update_on = excluded.last_update_on, expires_at = excluded.expires_at, synced_at = now()
                """, c);
            await Exec("DELETE FROM lms.units WHERE course_id = @Id", new { c.Id });
            await Exec(
                "INSERT INTO lms.units (course_id, unit_id, position, name, type, url, is_section) VALUES (@course, @Id, @position, @Name, @Type, @Url, @IsSection)",
                course.Detail.Units.Select((u, i) => new { course = c.Id, u.Id, position = i + 1, u.Name, u.Type, u.Url, u.IsSection }));
            await Exec("DELETE FROM lms.enrollments WHERE course_id = @course AND NOT (user_id = ANY(@users))",
                new { course = c.Id, users = course.Enrollments.Select(e => e.User.Id).ToArray() });
            foreach (var enrollment in course.Enrollments)
                await WriteEnrollmentAsync(connection, tx, c.Id, enrollment, ct);
        }
        await tx.CommitAsync(ct);
    }

    private static async Task WriteEnrollmentAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string courseId, EnrollmentSnapshot e, CancellationToken ct)
    {
        Task<int> Exec(string sql, object? args = null) =>
            connection.ExecuteAsync(new CommandDefinition(sql, args, tx, cancellationToken: ct));
        var u = e.User;
        var summary = new
        {
            course = courseId, user = u.Id, role = u.Role, percent = u.CompletionPercentage, enrolled = u.EnrolledOn,
            completed = u.CompletedOn, expires = u.ExpiredOn, time = u.TotalTimeSeconds, fingerprint = e.DetailFailed ? null : e.Fingerprint,
        };
        if (e.Status is null)
        {
            // Unchanged progress or no learner detail: refresh the summary, keep stored unit progress.
            // After a failed detail read a new enrolment gets a NULL fingerprint, so the next sync retries it.
            await Exec(
                e.DetailFailed
                    ? """
                      INSERT INTO lms.enrollments (course_id, user_id, role, completion_percent, enrolled_at, completed_at, expires_at, total_time_seconds, last_activity_at, fingerprint)
                      VALUES (@course, @user, @role, @percent, @enrolled, @completed, @expires, @time, @enrolled, NULL)
                      ON CONFLICT (course_id, user_id) DO NOTHING
                      """
                    : """
                      INSERT INTO lms.enrollments (course_id, user_id, role, completion_percent, enrolled_at, completed_at, expires_at, total_time_seconds, last_activity_at, fingerprint)
                      VALUES (@course, @user, @role, @percent, @enrolled, @completed, @expires, @time, @enrolled, @fingerprint)
                      ON CONFLICT (course_id, user_id) DO UPDATE SET role = excluded.role, completion_percent = excluded.completion_percent,
                          enrolled_at = excluded.enrolled_at, completed_at = excluded.completed_at, expires_at = excluded.expires_at,
                          total_time_seconds = excluded.total_time_seconds, fingerprint = excluded.fingerprint, synced_at = now()
                      """, summary);
            return;
        }
        var s = e.Status;
        await Exec(
            """
            INSERT INTO lms.enrollments (course_id, user_id, role, completion_percent, status_text, enrolled_at, completed_at, expires_at, total_time_seconds, last_activity_at, fingerprint)
            VALUES (@course, @user, @role, @percent, @statusText, @enrolled, @completed, @expires, @time, @activity, @fingerprint)
            ON CONFLICT (course_id, user_id) DO UPDATE SET role = excluded.role, completion_percent = excluded.completion_percent,
                status_text = excluded.status_text, enrolled_at = excluded.enrolled_at, completed_at = excluded.completed_at,
                expires_at = excluded.expires_at, total_time_seconds = excluded.total_time_seconds,
                last_activity_at = excluded.last_activity_at, fingerprint = excluded.fingerprint, synced_at = now()
            """,
            new
            {
                course = courseId, user = u.Id, role = u.Role, percent = s.CompletionPercentage, statusText = s.CompletionStatus,
                enrolled = s.EnrolledOn ?? u.EnrolledOn, completed = s.CompletedOn, expires = s.ExpiredOn ?? u.ExpiredOn,
                time = s.TotalTimeSeconds, activity = e.LastActivity, fingerprint = e.Fingerprint,
            });
        await Exec("DELETE FROM lms.unit_progress WHERE course_id = @course AND user_id = @user", new { course = courseId, user = u.Id });
        await Exec(
            """
            INSERT INTO lms.unit_progress (course_id, user_id, unit_id, status_text, completed, completed_at, score, total_time_seconds)
            VALUES (@course, @user, @Id, @CompletionStatus, @IsCompleted, @CompletedOn, @Score, @TotalTimeSeconds)
            """,
            s.Units.Select(x => new { course = courseId, user = u.Id, x.Id, x.CompletionStatus, x.IsCompleted, x.CompletedOn, x.Score, x.TotalTimeSeconds }));
        await Exec("DELETE FROM lms.test_results WHERE course_id = @course AND user_id = @user", new { course = courseId, user = u.Id });
        await Exec(
            """
            INSERT INTO lms.test_results (course_id, user_id, test_id, test_name, score_percent, passed, status_text, completed_at, questions)
            VALUES (@course, @user, @TestId, @TestName, @ScorePercent, @Passed, @CompletionStatus, @CompletedOn, @questions::jsonb)
            """,
            e.Tests.Select(t => new
            {
                course = courseId, user = u.Id, t.TestId, t.TestName, t.ScorePercent, t.Passed, t.CompletionStatus, t.CompletedOn,
                questions = JsonSerializer.Serialize(t.Questions.Select(q => new StoredQuestion(q.Id, q.Text, q.Type, q.Weight, q.Correct, q.UserAnswers, q.CorrectAnswers))),
            }));
    }
}

/// <summary>A test question as kept in <c>lms.test_results.questions</c>.</summary>
public sealed record StoredQuestion(
    string Id, string Text, string Type, double Weight, bool Correct, IReadOnlyList<string> UserAnswers, IReadOnlyList<string> CorrectAnswers);
