using System.Diagnostics;
using Genie.LmsBridge.Reminders;
using Genie.LmsBridge.Settings;
using Genie.LmsBridge.TalentLms;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Genie.LmsBridge.Sync;

public sealed record SyncOutcome(SyncRunRecord Run);

/// <summary>Thrown when another sync (on any replica) holds the sync lock.</summary>
public sealed class SyncAlreadyRunningException() : Exception("A TalentLMS sync is already running; try again when it has finished.");

/// <summary>
/// One sync: take the cluster-wide lock, fetch a snapshot, write it in one transaction, evaluate the
/// reminder rules, record the run. On any failure nothing is written and the run records why.
/// </summary>
public sealed class LmsSync(
    NpgsqlDataSource db,
    LmsSettingsStore settings,
    TalentLmsClientFactory clients,
    SyncWriter writer,
    SyncRunLog runs,
    ReminderEngine reminders,
    ILogger<LmsSync> logger)
{
    // Session-level advisory lock key: "LMSS". Held on a dedicated connection for the whole sync.
    private const long LockKey = 0x4C4D5353;

    public async Task<SyncOutcome> RunAsync(string trigger, Func<SyncStep, ValueTask> report, CancellationToken ct)
    {
        var (locked, outcome) = await WithLockAsync(() => RunLockedAsync(trigger, report, ct), ct);
        return locked ? outcome! : throw new SyncAlreadyRunningException();
    }

    /// <summary>
    /// Marks failed the runs a killed or crashed process left running: when no session holds the sync lock, no sync is
    /// alive anywhere. Done when the service starts and before each scheduled check, so none shows as running for ever.
    /// </summary>
    public async Task<int> FailInterruptedRunsAsync(CancellationToken ct)
    {
        var (_, failed) = await WithLockAsync(() => runs.FailInterruptedAsync(ct), ct);
        if (failed > 0)
            logger.LogWarning("Marked {Runs} TalentLMS sync run(s) failed: the process running them stopped", failed);
        return failed;
    }

    /// <summary>Runs <paramref name="work"/> holding the cluster-wide sync lock; not at all when another session holds it.</summary>
    private async Task<(bool Locked, T? Result)> WithLockAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        await using var lockConnection = await db.OpenConnectionAsync(ct);
        await using (var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", lockConnection))
        {
            take.Parameters.AddWithValue("key", LockKey);
            if (await take.ExecuteScalarAsync(ct) is not true)
                return (false, default);
        }
        try
        {
            return (true, await work());
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConnection);
            release.Parameters.AddWithValue("key", LockKey);
            await release.ExecuteScalarAsync(CancellationToken.None);
        }
    }

    private async Task<SyncOutcome> RunLockedAsync(string trigger, Func<SyncStep, ValueTask> report, CancellationToken ct)
    {
        var runId = await runs.StartAsync(trigger, ct);
        using var activity = LmsTelemetry.Source.StartActivity("lms.sync");
        activity?.SetTag("genie.lms.sync.run", runId);
        activity?.SetTag("genie.lms.sync.trigger", trigger);
        var client = (TalentLmsClient?)null;
        try
        {
            var connection = await settings.GetConnectionAsync(ct)
                ?? throw new InvalidOperationException("TalentLMS is not configured: set the domain and API key in the LMS settings.");
            client = clients.Create(connection);
            var previous = await writer.LoadFingerprintsAsync(ct);
            var snapshot = await new TalentLmsFetcher(client).FetchAsync(previous, report, ct);
            await report(new SyncStep("saving", 0, 0, "Saving the snapshot"));
            await writer.WriteAsync(snapshot, ct);
            await report(new SyncStep("reminders", 0, 0, "Evaluating reminder rules"));
            var created = await reminders.EvaluateAsync(ct);
            var state = snapshot.Failures.Count == 0 ? SyncStates.Succeeded : SyncStates.Partial;
            await runs.FinishAsync(runId, state, snapshot.Users.Count, snapshot.Courses.Count, snapshot.EnrollmentCount,
                client.CallCount, snapshot.SkippedUnchanged, "", snapshot.Failures);
            activity?.SetTag("genie.lms.sync.state", state);
            LmsTelemetry.SyncRuns.Add(1, new KeyValuePair<string, object?>("state", state));
            LmsTelemetry.RemindersCreated.Add(created);
            logger.LogInformation("TalentLMS sync {Run} {State}: {Users} users, {Courses} courses, {Calls} calls, {Reminders} new reminders",
                runId, state, snapshot.Users.Count, snapshot.Courses.Count, client.CallCount, created);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "TalentLMS sync {Run} failed; previous data kept", runId);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            LmsTelemetry.SyncRuns.Add(1, new KeyValuePair<string, object?>("state", SyncStates.Failed));
            await runs.FinishAsync(runId, SyncStates.Failed, 0, 0, 0, client?.CallCount ?? 0, 0, Describe(e), []);
        }
        catch (OperationCanceledException)
        {
            await runs.FinishAsync(runId, SyncStates.Failed, 0, 0, 0, client?.CallCount ?? 0, 0, "cancelled; previous data kept", []);
            throw;
        }
        var run = (await runs.ListAsync(20, CancellationToken.None)).First(r => r.Id == runId);
        return new SyncOutcome(run);
    }

    private static string Describe(Exception e) => e switch
    {
        TalentLmsApiException { IsUnauthorized: true } api => $"TalentLMS rejected the API key: {api.ApiMessage}",
        TalentLmsApiException or TalentLmsFormatException or TalentLmsRateLimitedException or InvalidOperationException => e.Message,
        HttpRequestException http => $"TalentLMS could not be reached: {http.Message}",
        Polly.Timeout.TimeoutRejectedException => "TalentLMS did not answer in time",
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
