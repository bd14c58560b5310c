using Microsoft.Extensions.Hosting;

namespace Genie.ServiceDefaults.Database;

/// <summary>
/// Applies the migrations while the host starts: WebApplication starts the server after the other
/// hosted services, so a service listens (and reports healthy) only once its schema is current.
/// </summary>
internal sealed class MigrationHostedService(MigrationRunner runner) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken) => await runner.ApplyAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
