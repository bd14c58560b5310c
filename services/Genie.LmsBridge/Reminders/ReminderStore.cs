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
            SELECT quiet AS Quiet, to_char(quiet_start, 'HH24:MI') AS QuietStart, to_char(quiet_end, 'HH24:MI') AS QuietEnd, time_zone AS TimeZone, slack AS Slack
            FROM lms.reminder_preferences WHERE email = @email
            """, new { email = Normalize(email) }, cancellationToken: ct));
        return row is null
            ? ReminderPreferenceRecord.Default
            : row.ToRecord();
    }

    public async Task SetPreferencesAsync(string email, ReminderPreferenceRecord preferences, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO lms.reminder_preferences (email, quiet, quiet_start, quiet_end, time_zone, slack, updated_at)
            VALUES (@email, @quiet, @start::time, @end::time, @zone, @slack, now())
            ON CONFLICT (email) DO UPDATE SET quiet = excluded.quiet, quiet_start = excluded.quiet_start,
                quiet_end = excluded.quiet_end, time_zone = excluded.time_zone, slack = excluded.slack, updated_at = now()
            """,
            new
            {
                email = Normalize(email), quiet = preferences.Quiet, start = preferences.QuietStart?.ToString("HH:mm", CultureInfo.InvariantCulture),
                end = preferences.QuietEnd?.ToString("HH:mm", CultureInfo.InvariantCulture), zone = preferences.TimeZone, slack = preferences.Slack,
            }, cancellationToken: ct));
    }

    /// <summary>Sets only the Slack choice in one statement, so a concurrent change of quiet hours is never lost.</summary>
    public async Task<ReminderPreferenceRecord> SetSlackAsync(string email, bool slack, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleAsync<PreferenceRow>(new CommandDefinition(
            """
            INSERT INTO lms.reminder_preferences (email, slack, updated_at) VALUES (@email, @slack, now())
            ON CONFLICT (email) DO UPDATE SET slack = excluded.slack, updated_at = now()
            RETURNING quiet AS Quiet, to_char(quiet_start, 'HH24:MI') AS QuietStart, to_char(quiet_end, 'HH24:MI') AS QuietEnd, time_zone AS TimeZone, slack AS Slack
            """, new { email = Normalize(email), slack }, cancellationToken: ct));
        return row.ToRecord();
    }

    private static string Normalize(string email) => email.Trim().ToLowerInvariant();

    private static TimeOnly? Time(string? text) =>
        text is { Length: > 0 } ? TimeOnly.ParseExact(text, "HH:mm", CultureInfo.InvariantCulture) : null;

    private sealed class PreferenceRow
    {
        public string Email { get; init; } = "";
        public bool Quiet { get; init; }
        public string? QuietStart { get; init; }
        public string? QuietEnd { get; init; }
        public string TimeZone { get; init; } = "UTC";
        public bool Slack { get; init; }

        public ReminderPreferenceRecord ToRecord() => new(Quiet, Time(QuietStart), Time(QuietEnd), TimeZone, Slack);
    }

    /// <summary>
    /// Open reminders of learners who chose Slack and that Slack has not had yet, with each learner's
    /// preferences (the caller leaves out whoever is quiet now).
    /// </summary>
    public async Task<IReadOnlyList<(string Email, ReminderPreferenceRecord Preferences, ReminderRecord Reminder)>> ListUndeliveredAsync(string channel, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<PreferenceRow, Row, (string, ReminderPreferenceRecord, ReminderRecord)>(new CommandDefinition(
            """
            SELECT p.email AS Email, p.quiet AS Quiet, to_char(p.quiet_start, 'HH24:MI') AS QuietStart, to_char(p.quiet_end, 'HH24:MI') AS QuietEnd,
                   p.time_zone AS TimeZone, p.slack AS Slack,
                   r.id AS Id, r.rule AS Rule, r.course_id AS CourseId, r.course_name AS CourseName, r.reason AS Reason, r.next_unit_url AS NextUnitUrl,
                   r.created_at AS CreatedAt, r.acknowledged_at AS AcknowledgedAt, r.resolved_at AS ResolvedAt
            FROM lms.reminder_preferences p
            JOIN lms.reminders r ON r.email = p.email AND r.acknowledged_at IS NULL AND r.resolved_at IS NULL
            WHERE p.slack AND NOT EXISTS (SELECT 1 FROM lms.reminder_deliveries d WHERE d.reminder_id = r.id AND d.channel = @channel)
            ORDER BY r.created_at, r.id
            LIMIT 500
            """, new { channel }, cancellationToken: ct),
            (p, r) => (p.Email, p.ToRecord(), r.ToRecord()), splitOn: "Id");
        return rows.ToList();
    }

    /// <summary>True the first time a reminder is recorded as delivered on <paramref name="channel"/>.</summary>
    public async Task<bool?> MarkDeliveredAsync(long id, string channel, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        if (await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT id FROM lms.reminders WHERE id = @id", new { id }, cancellationToken: ct)) is null)
            return null;
        return await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO lms.reminder_deliveries (reminder_id, channel, delivered_at) VALUES (@id, @channel, @now) ON CONFLICT DO NOTHING",
            new { id, channel, now = time.GetUtcNow() }, cancellationToken: ct)) == 1;
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
