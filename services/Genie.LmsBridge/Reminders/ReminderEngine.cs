using Dapper;
using Genie.LmsBridge.Progress;
using Genie.LmsBridge.Settings;
using Npgsql;

namespace Genie.LmsBridge.Reminders;

/// <summary>
/// Applies the rules to every learner enrolment after a sync. New causes become reminders (the
/// unique key learner+course+rule+cause makes re-evaluation idempotent); open reminders whose cause
/// no longer holds are marked resolved. Acknowledged reminders are never reopened.
/// </summary>
public sealed class ReminderEngine(NpgsqlDataSource db, ProgressReader progress, LmsSettingsStore settings, TimeProvider time)
{
    public async Task<int> EvaluateAsync(CancellationToken ct)
    {
        var current = await settings.GetAsync(ct);
        var thresholds = new ReminderThresholds(current.NoProgressDays, current.DueSoonDays);
        var now = time.GetUtcNow();
        var enrollments = await progress.LoadAsync(new EnrollmentFilter(Role: "learner"), ct);
        var candidates = enrollments.SelectMany(e => ReminderRules.Evaluate(e, now, thresholds)).ToList();

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var created = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO lms.reminders (email, course_id, course_name, rule, cause, reason, next_unit_url, created_at)
            VALUES (@Email, @CourseId, @CourseName, @Rule, @Cause, @Reason, @NextUnitUrl, @now)
            ON CONFLICT (email, course_id, rule, cause) DO NOTHING
            """,
            candidates.Select(c => new { c.Email, c.CourseId, c.CourseName, c.Rule, c.Cause, c.Reason, c.NextUnitUrl, now }),
            tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE lms.reminders r SET resolved_at = @now
            WHERE r.acknowledged_at IS NULL AND r.resolved_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM unnest(@emails, @courses, @rules, @causes) AS k(email, course_id, rule, cause)
                              WHERE k.email = r.email AND k.course_id = r.course_id AND k.rule = r.rule AND k.cause = r.cause)
            """,
            new
            {
                now,
                emails = candidates.Select(c => c.Email).ToArray(),
                courses = candidates.Select(c => c.CourseId).ToArray(),
                rules = candidates.Select(c => c.Rule).ToArray(),
                causes = candidates.Select(c => c.Cause).ToArray(),
            }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return created;
    }
}
