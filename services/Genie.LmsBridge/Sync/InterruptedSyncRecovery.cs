namespace Genie.LmsBridge.Sync;

/// <summary>
/// When the service starts (after its migrations), marks failed the sync run a killed or crashed process left
/// running. A database that is not reachable yet does not stop the service: the scheduled checks do it later.
/// </summary>
public sealed class InterruptedSyncRecovery(LmsSync sync, ILogger<InterruptedSyncRecovery> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await sync.FailInterruptedRunsAsync(cancellationToken);
        }
        catch (Npgsql.NpgsqlException e)
        {
            logger.LogWarning("Could not look for interrupted TalentLMS sync runs: {Error}", e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
