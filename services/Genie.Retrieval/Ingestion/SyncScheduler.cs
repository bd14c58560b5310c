using Genie.Retrieval.Sources;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Genie.Retrieval.Ingestion;

/// <summary>Re-syncs sources whose interval has elapsed. Replicas may all run it: the per-source lock lets one win.</summary>
public sealed class SyncScheduler(SourceStore sources, SyncRunner runner, RetrievalOptions options, ILogger<SyncScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.SchedulerPollSeconds)));
        do
        {
            try
            {
                await RunDueAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Scheduled sync pass failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> RunDueAsync(CancellationToken ct)
    {
        await runner.FailInterruptedRunsAsync(ct);
        var ran = 0;
        foreach (var id in await sources.DueAsync(20, ct))
        {
            if (await sources.FindAsync(id, ct) is not { } source)
                continue;
            try
            {
                var run = await runner.RunAsync(source, "schedule", _ => Task.CompletedTask, ct);
                logger.LogInformation("Scheduled sync of source {SourceId}: {Status}", id, run.Status);
                ran++;
            }
            catch (SyncInProgressException)
            {
                // Another replica or a manual sync has it.
            }
        }
        return ran;
    }
}
