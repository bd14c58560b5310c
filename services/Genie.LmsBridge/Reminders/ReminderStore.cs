using System.Globalization;
using Dapper;
using Npgsql;

namespace Genie.LmsBridge.Reminders;

public sealed record ReminderRecord(
    long Id, string Rule, string CourseId, string CourseName, string Reason, string NextUnitUrl,
    DateTimeOffset CreatedAt, DateTimeOffset? AcknowledgedAt, DateTimeOffset? ResolvedAt);

/// <summary>A learner's reminders and quiet preference, always addressed by the caller's e-mail.</summary>
public sealed class ReminderStore(NpgsqlDataSource db, TimeProvider time)
{
    public async Task<IReadOnlyList<ReminderRecord>> ListAsync(string email, bool includeClosed, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT id AS Id, rule AS Rule, course_id AS CourseId, course_name AS CourseName, reason AS Reason, next_unit_url AS NextUnitUrl,
                   created_at AS CreatedAt, acknowledged_at AS AcknowledgedAt, resolved_at AS ResolvedAt
            FROM lms.reminders
            WHERE email = @email AND (@includeClosed OR (acknowledged_at IS NULL AND resolved_at IS NULL))
            ORDER BY created_at DESC, id DESC
            """, new { email = Normalize(email), includeClosed }, cancellationToken: ct));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    /// <summary>Acknowledges the caller's own reminder; null when it is not theirs (or does not exist).</summary>
    public async Task<ReminderRecord?> AcknowledgeAsync(string email, long id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            """
            UPDATE lms.reminders SET acknowledged_at = coalesce(acknowledged_at, @now)
            WHERE id = @id AND email = @email
            RETURNING id AS Id, rule AS Rule, course_id AS CourseId, course_name AS CourseName, reason AS Reason, next_unit_url AS NextUnitUrl,
                      created_at AS CreatedAt, acknowledged_at AS AcknowledgedAt, resolved_at AS ResolvedAt
            """, new { id, email = Normalize(email), now = time.GetUtcNow() }, cancellationToken: ct));
        return row?.ToRecord();
    }

    public async Task<ReminderPreferenceRecord> GetPreferencesAsync(string email, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<PreferenceRow>(new CommandDefinition(
            """
            SELECT quiet AS Quiet, to_char(quiet_start, 'HH24:MI') AS QuietStart, to_char(quiet_end, 'HH24:MI') AS QuietEnd, time_zone AS TimeZone
            FROM lms.reminder_preferences WHERE email = @email
            """, new { email = Normalize(email) }, cancellationToken: ct));
        return row is null
            ? ReminderPreferenceRecord.Default
            : new ReminderPreferenceRecord(row.Quiet, Time(row.QuietStart), Time(row.QuietEnd), row.TimeZone);
    }

    public async Task SetPreferencesAsync(string email, ReminderPreferenceRecord preferences, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO lms.reminder_preferences (email, quiet, quiet_start, quiet_end, time_zone, updated_at)
            VALUES (@email, @quiet, @start::time, @end::time, @zone, now())
            ON CONFLICT (email) DO UPDATE SET quiet = excluded.quiet, quiet_start = excluded.quiet_start,
                quiet_end = excluded.quiet_end, time_zone = excluded.time_zone, updated_at = now()
            """,
            new
            {
                email = Normalize(email), quiet = preferences.Quiet, start = preferences.QuietStart?.ToString("HH:mm", CultureInfo.InvariantCulture),
                end = preferences.QuietEnd?.ToString("HH:mm", CultureInfo.InvariantCulture), zone = preferences.TimeZone,
            }, cancellationToken: ct));
    }

    private static string Normalize(string email) => email.Trim().ToLowerInvariant();

    private static TimeOnly? Time(string? text) =>
        text is { Length: > 0 } ? TimeOnly.ParseExact(text, "HH:mm", CultureInfo.InvariantCulture) : null;

    private sealed class PreferenceRow
    {
        public bool Quiet { get; init; }
        public string? QuietStart { get; init; }
        public string? QuietEnd { get; init; }
        public string TimeZone { get; init; } = "UTC";
    }

    private sealed class Row
    {
        public long Id { get; init; }
        public string Rule { get; init; } = "";
        public string CourseId { get; init; } = "";
        public string CourseName { get; init; } = "";
        public string Reason { get; init; } = "";
        public string NextUnitUrl { get; init; } = "";
        public DateTime CreatedAt { get; init; }
        public DateTime? AcknowledgedAt { get; init; }
        public DateTime? ResolvedAt { get; init; }

        public ReminderRecord ToRecord() => new(Id, Rule, CourseId, CourseName, Reason, NextUnitUrl, Utc(CreatedAt),
            AcknowledgedAt is { } a ? Utc(a) : null, ResolvedAt is { } r ? Utc(r) : null);

        private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
    }
}
