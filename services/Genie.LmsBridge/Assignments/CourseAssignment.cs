using Dapper;
using Genie.LmsBridge.Progress;
using Genie.LmsBridge.Settings;
using Genie.LmsBridge.TalentLms;
using Npgsql;

namespace Genie.LmsBridge.Assignments;

public sealed record AssignmentResult(string UserId, string CourseId, string Role, bool AlreadyEnrolled);

public sealed class AssignmentException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>
/// Enrols a learner through TalentLMS (addusertocourse) and records the enrolment locally at 0% so
/// it shows at once; the next sync fills in the detail (its fingerprint is left empty).
/// </summary>
public sealed class CourseAssignment(NpgsqlDataSource db, LmsSettingsStore settings, TalentLmsClientFactory clients, ProgressReader reader)
{
    public async Task<AssignmentResult> AssignAsync(string learnerEmail, string courseId, CancellationToken ct)
    {
        var course = await reader.GetCourseAsync(courseId, ct)
            ?? throw new AssignmentException("course_id", $"course {courseId} is not known; run a sync if it was just created");
        var connection = await settings.GetConnectionAsync(ct)
            ?? throw new InvalidOperationException("TalentLMS is not configured: set the domain and API key in the LMS settings.");
        var client = clients.Create(connection);
        var local = await reader.FindUserAsync(learnerEmail, ct);
        var user = local is not null
            ? null
            : await client.FindUserByEmailAsync(learnerEmail, ct)
              ?? throw new AssignmentException("learner_email", $"no TalentLMS user has the e-mail {learnerEmail}");
        var userId = local?.UserId ?? user!.Id;

        bool already;
        try
        {
            await client.AddUserToCourseAsync(userId, course.CourseId, "learner", ct);
            already = false;
        }
        catch (TalentLmsApiException e) when (e.ApiMessage.Contains("already enrolled", StringComparison.OrdinalIgnoreCase))
        {
            already = true;
        }

        await using var db1 = await db.OpenConnectionAsync(ct);
        if (user is not null)
        {
            await db1.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO lms.users (user_id, email, login, first_name, last_name, user_type, status)
                VALUES (@Id, lower(@Email), @Login, @FirstName, @LastName, @UserType, @Status)
                ON CONFLICT (user_id) DO NOTHING
                """, user, cancellationToken: ct));
        }
        await db1.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO lms.enrollments (course_id, user_id, role, completion_percent, enrolled_at, last_activity_at, fingerprint)
            VALUES (@courseId, @userId, 'learner', 0, now(), now(), NULL)
            ON CONFLICT (course_id, user_id) DO NOTHING
            """, new { courseId = course.CourseId, userId }, cancellationToken: ct));
        return new AssignmentResult(userId, course.CourseId, "learner", already);
    }
}
