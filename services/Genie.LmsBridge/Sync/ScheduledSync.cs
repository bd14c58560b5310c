using Genie.LmsBridge.Settings;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Genie.LmsBridge.Sync;

/// <summary>
/// Runs a sync when the last attempt (on any replica) is older than the configured interval.
/// Checks once a minute; the advisory lock in <see cref="LmsSync"/> keeps replicas from overlapping.
/// </summary>
public sealed class ScheduledSync(LmsSync sync, LmsSettingsStore settings, SyncRunLog runs, TimeProvider time, ILogger<ScheduledSync> logger)
    : BackgroundService
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckEvery, time);
        do
        {
            try
            {
                await RunIfDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Scheduled TalentLMS sync check failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    internal async Task RunIfDueAsync(CancellationToken ct)
    {
        await sync.FailInterruptedRunsAsync(ct);
        var current = await settings.GetAsync(ct);
        if (!current.ApiKeyConfigured || current.Domain.Length == 0)
            return;
        var last = await runs.LastStartedAsync(ct);
        if (last is { } at && time.GetUtcNow() - at < TimeSpan.FromMinutes(current.SyncIntervalMinutes))
            return;
        try
        {
            await sync.RunAsync("scheduled", _ => ValueTask.CompletedTask, ct);
        }
        catch (SyncAlreadyRunningException)
        {
            // Another replica or a manual sync is on it.
        }
    }
}
