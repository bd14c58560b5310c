using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Genie.ServiceDefaults.Database;

/// <summary>
/// Database work a service does once when it starts, after its migrations (hosted services start in order): e.g.
/// closing what a killed process left half-done. A database not reachable yet is logged, not fatal: the service still
/// starts, reports itself unready, and its periodic work repeats the repair later.
/// </summary>
public static class StartupRepair
{
    /// <param name="what">What is repaired, for the log (e.g. "interrupted sync runs").</param>
    public static IServiceCollection AddStartupRepair<TService>(this IServiceCollection services, string what, Func<TService, CancellationToken, Task> repair)
        where TService : notnull =>
        services.AddSingleton<IHostedService>(sp => new Repair(
            what, ct => repair(sp.GetRequiredService<TService>(), ct), sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupRepair))));

    private sealed class Repair(string what, Func<CancellationToken, Task> repair, ILogger logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            try
            {
                await repair(cancellationToken);
            }
            catch (NpgsqlException e)
            {
                logger.LogWarning("Could not repair {What} at startup: {Error}", what, e.Message);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
