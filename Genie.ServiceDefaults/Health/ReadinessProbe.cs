using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Genie.ServiceDefaults.Health;

/// <summary>
/// Runs the "ready" health checks, remembering the answer briefly so health polling
/// (gRPC Watch, load balancers) does not hammer the database.
/// </summary>
public sealed class ReadinessProbe(HealthCheckService healthChecks, TimeProvider time)
{
    public const string ReadyTag = "ready";
    private static readonly TimeSpan CacheFor = TimeSpan.FromMilliseconds(500);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (bool Ready, DateTimeOffset At)? _last;

    public async Task<bool> IsReadyAsync(CancellationToken ct)
    {
        if (_last is { } cached && time.GetUtcNow() - cached.At < CacheFor)
            return cached.Ready;
        await _gate.WaitAsync(ct);
        try
        {
            if (_last is { } again && time.GetUtcNow() - again.At < CacheFor)
                return again.Ready;
            var report = await healthChecks.CheckHealthAsync(c => c.Tags.Contains(ReadyTag), ct);
            var ready = report.Status == HealthStatus.Healthy;
            _last = (ready, time.GetUtcNow());
            return ready;
        }
        finally
        {
            _gate.Release();
        }
    }
}
