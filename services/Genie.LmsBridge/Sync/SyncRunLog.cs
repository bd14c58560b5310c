using System.Text.Json;
using Dapper;
using Npgsql;

namespace Genie.LmsBridge.Sync;

public sealed record SyncRunRecord(
    long Id, string Trigger, string State, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, int Users, int Courses,
    int Enrollments, int ApiCalls, int SkippedUnchanged, string Error, IReadOnlyList<string> Failures);

public static class SyncStates
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Partial = "partial";
    public const string Failed = "failed";
}

/// <summary><c>lms.sync_runs</c>: one row per attempt, with what failed.</summary>
public sealed class SyncRunLog(NpgsqlDataSource db)
{
    /// <summary>
    /// Records a new run. Called under the sync lock, so any other run still marked running was cut
    /// short (its process stopped) and is closed as failed first.
    /// </summary>
    public async Task<long> StartAsync(string trigger, CancellationToken ct)
    {
        await FailInterruptedAsync(ct);
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO lms.sync_runs (trigger, state) VALUES (@trigger, 'running') RETURNING id", new { trigger }, cancellationToken: ct));
    }

    public const string InterruptedError = "interrupted: the service stopped during this sync; previous data kept";

    /// <summary>Closes as failed every run still marked running. Only under the sync lock: then none of them is alive.</summary>
    public async Task<int> FailInterruptedAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE lms.sync_runs SET state = 'failed', finished_at = now(), error = @error WHERE state = 'running'",
            new { error = InterruptedError }, cancellationToken: ct));
    }

    public async Task FinishAsync(long id, string state, int users, int courses, int enrollments, int apiCalls, int skipped,
        string error, IReadOnlyList<string> failures)
    {
        // Not cancellable: the outcome of a cancelled sync is recorded too.
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            UPDATE lms.sync_runs SET state = @state, finished_at = now(), users = @users, courses = @courses, enrollments = @enrollments,
                api_calls = @apiCalls, skipped_unchanged = @skipped, error = @error, failures = @failures::jsonb
            WHERE id = @id
            """,
            new { id, state, users, courses, enrollments, apiCalls, skipped, error, failures = JsonSerializer.Serialize(failures) });
    }

    public async Task<IReadOnlyList<SyncRunRecord>> ListAsync(int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT id, trigger, state, started_at, finished_at, users, courses, enrollments, api_calls, skipped_unchanged, error, failures::text AS failures
            FROM lms.sync_runs ORDER BY id DESC LIMIT @limit
            """, new { limit }, cancellationToken: ct));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    /// <summary>When the last sync that wrote data (succeeded or partial) finished.</summary>
    public async Task<DateTimeOffset?> LastGoodAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var at = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            "SELECT max(finished_at) FROM lms.sync_runs WHERE state IN ('succeeded', 'partial')", cancellationToken: ct));
        return at is { } value ? new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)) : null;
    }

    /// <summary>When the last attempt of any outcome started (the scheduler paces on it).</summary>
    public async Task<DateTimeOffset?> LastStartedAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var at = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            "SELECT max(started_at) FROM lms.sync_runs", cancellationToken: ct));
        return at is { } value ? new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)) : null;
    }

    private sealed class Row
    {
        public long Id { get; init; }
        public string Trigger { get; init; } = "";
        public string State { get; init; } = "";
        public DateTime Started_At { get; init; }
        public DateTime? Finished_At { get; init; }
        public int Users { get; init; }
        public int Courses { get; init; }
        public int Enrollments { get; init; }
        public int Api_Calls { get; init; }
        public int Skipped_Unchanged { get; init; }
        public string Error { get; init; } = "";
        public string Failures { get; init; } = "[]";

        public SyncRunRecord ToRecord() => new(
            Id, Trigger, State, Utc(Started_At), Finished_At is { } f ? Utc(f) : null, Users, Courses, Enrollments, Api_Calls,
            Skipped_Unchanged, Error, JsonSerializer.Deserialize<string[]>(Failures) ?? []);

        private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
    }
}
