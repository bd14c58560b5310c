using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Genie.AppHost.Restarts;

/// <summary>
/// Restarts a project replica that ends by itself with a non-zero code (DCP's "Finished": a crash; a
/// stop from the dashboard ends "Terminated" and is left alone, as is everything while the app shuts
/// down), after 1 s, 2 s … 30 s, through the resource's start command. Each restart
/// is written to the replica's console log in the dashboard (and published as a "restarts" property).
/// </summary>
internal sealed class CrashRestarts(
    DistributedApplicationModel model,
    ResourceNotificationService notifications,
    ResourceCommandService commands,
    ResourceLoggerService logs,
    IHostApplicationLifetime lifetime,
    ILogger<CrashRestarts> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, Replica> _replicas = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var projects = model.Resources.OfType<ProjectResource>().ToHashSet();
        try
        {
            await foreach (var update in notifications.WatchAsync(stoppingToken))
            {
                if (update.Resource is not ProjectResource project || !projects.Contains(project))
                    continue;
                var replica = _replicas.GetOrAdd(update.ResourceId, _ => new Replica());
                var state = update.Snapshot.State?.Text;
                if (state == KnownResourceStates.Running && update.Snapshot.StartTimeStamp is { } started)
                    replica.StartedAt = started;
                if (state is not ("Exited" or "Finished" or "FailedToStart") || update.Snapshot.ExitCode is 0 or null
                    || lifetime.ApplicationStopping.IsCancellationRequested || !replica.TryBeginRestart(update.Snapshot.StopTimeStamp))
                    continue;
                _ = RestartAsync(update.ResourceId, project, replica, update.Snapshot.ExitCode.Value, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RestartAsync(string resourceId, ProjectResource project, Replica replica, int exitCode, CancellationToken stoppingToken)
    {
        var upFor = DateTime.UtcNow - (replica.StartedAt ?? DateTime.UtcNow);
        var delay = replica.Backoff.Next(upFor);
        var console = logs.GetLogger(resourceId);
        console.LogWarning("{Replica} exited with code {ExitCode}; restarting in {Delay:0} s (restart {Count})", resourceId, exitCode, delay.TotalSeconds, replica.Restarts + 1);
        try
        {
            await Task.Delay(delay, stoppingToken);
            var result = await commands.ExecuteCommandAsync(resourceId, KnownResourceCommands.StartCommand, stoppingToken);
            if (!result.Success)
            {
                logger.LogWarning("Restarting {Replica} failed: {Error}", resourceId, result.Message);
                return;
            }
            replica.Restarts++;
            await notifications.PublishUpdateAsync(project, resourceId, s => s with
            {
                Properties = [.. s.Properties.Where(p => p.Name != "restarts"), new("restarts", replica.Restarts)],
            });
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "Restarting {Replica} failed", resourceId);
        }
        finally
        {
            replica.EndRestart();
        }
    }

    private sealed class Replica
    {
        private int _restarting;
        private DateTime? _handledStop;

        public RestartBackoff Backoff { get; } = new();

        public DateTime? StartedAt { get; set; }

        public int Restarts { get; set; }

        /// <summary>One restart per exit: the same exit is reported in several updates.</summary>
        public bool TryBeginRestart(DateTime? stoppedAt)
        {
            if (stoppedAt is not null && stoppedAt == _handledStop)
                return false;
            if (Interlocked.CompareExchange(ref _restarting, 1, 0) != 0)
                return false;
            _handledStop = stoppedAt;
            return true;
        }

        public void EndRestart() => Interlocked.Exchange(ref _restarting, 0);
    }
}

public static class CrashRestartExtensions
{
    /// <summary>Restart crashed project replicas with backoff (see <see cref="CrashRestarts"/>).</summary>
    public static IDistributedApplicationBuilder RestartCrashedProjects(this IDistributedApplicationBuilder builder)
    {
        builder.Services.AddHostedService<CrashRestarts>();
        return builder;
    }
}
