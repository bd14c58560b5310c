using Dapper;
using Genie.Testing;
using Npgsql;

namespace Genie.Retrieval.Bench;

/// <summary>
/// CPU time spent by the benchmark's own database backends (found by application name, read from
/// /proc, so only when PostgreSQL runs on this machine) and by this process, between Start and Stop.
/// Per-query CPU is what limits throughput under concurrency; latency alone hides it on a busy machine.
/// The look-up uses a connection of its own, outside the benchmark's pool and under another name, so it
/// neither counts itself nor hides a pooled backend the benchmark uses.
/// </summary>
public sealed class ServerCpu(string connectionString, string applicationName)
{
    public async Task<Measurement> StartAsync() => new(this, await BackendsAsync(), ProcessCpu());

    private async Task<Dictionary<int, TimeSpan>?> BackendsAsync()
    {
        var meter = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = applicationName + "-meter", Pooling = false };
        await using var connection = new NpgsqlConnection(meter.ConnectionString);
        await connection.OpenAsync();
        var pids = await connection.QueryAsync<int>("SELECT pid FROM pg_stat_activity WHERE application_name = @applicationName", new { applicationName });
        var result = new Dictionary<int, TimeSpan>();
        foreach (var pid in pids)
        {
            if (!File.Exists($"/proc/{pid}/stat"))
                return null; // PostgreSQL is not on this machine
            if (ProcFs.TryReadProcess(pid, out _, out var cpu))
                result[pid] = cpu;
        }
        return result;
    }

    private static TimeSpan ProcessCpu() => System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;

    public sealed class Measurement(ServerCpu owner, Dictionary<int, TimeSpan>? before, TimeSpan processBefore)
    {
        /// <summary>Server CPU (null when the server is not local) and this process's CPU since Start.</summary>
        public async Task<(TimeSpan? Server, TimeSpan Client)> StopAsync()
        {
            var client = ProcessCpu() - processBefore;
            var after = await owner.BackendsAsync();
            if (before is null || after is null)
                return (null, client);
            // Backends opened during the measurement count from zero; closed ones are lost (the pool keeps them open).
            var server = after.Sum(a => (a.Value - before.GetValueOrDefault(a.Key)).Ticks);
            return (TimeSpan.FromTicks(server), client);
        }
    }
}
