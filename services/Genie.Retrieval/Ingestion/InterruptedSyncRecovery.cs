using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Genie.Retrieval.Ingestion;

/// <summary>
/// When the service starts (after its migrations), marks failed the sync runs a killed or crashed process left
/// 'running'. A database that is not reachable yet does not stop the service: the scheduler's passes do it later.
/// </summary>
public sealed class InterruptedSyncRecovery(SyncRunner runner, ILogger<InterruptedSyncRecovery> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await runner.FailInterruptedRunsAsync(cancellationToken);
        }
        catch (Npgsql.NpgsqlException e)
        {
            logger.LogWarning("Could not look for interrupted sync runs: {Error}", e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
