using System.Diagnostics;
using Genie.Testing;
using Npgsql;

namespace Genie.Load.Bench;

/// <summary>
/// What the services cost during a step: each process's CPU time and RSS (the services' processes and the bench's
/// client; in-process, all of them share the bench's), the PostgreSQL cluster's CPU time (postmaster and backends),
/// and its connections in pg_stat_activity.
/// </summary>
public sealed class Meter(PostgresCluster cluster, IReadOnlyList<(string Name, int ProcessId)> processes)
{
    public Sample Sample() => new(
        processes.Select(p =>
        {
            using var process = Process.GetProcessById(p.ProcessId);
            return new ProcessUse(p.Name, process.TotalProcessorTime, process.WorkingSet64 / (1024.0 * 1024.0));
        }).ToList(),
        ProcFs.PostgresCpu(cluster.DataDirectory));

    /// <summary>Client connections now; null when PostgreSQL refused this one too (every slot of max_connections taken).</summary>
    public async Task<int?> ConnectionsAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(cluster.AdminConnectionString + ";Pooling=false");
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'", connection);
            return (int)(long)(await count.ExecuteScalarAsync())!;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.TooManyConnections)
        {
            return null;
        }
    }
}

/// <param name="RssMiB">Resident set size at the end (for a difference: the later sample's).</param>
public sealed record ProcessUse(string Name, TimeSpan Cpu, double RssMiB);

public sealed record Sample(IReadOnlyList<ProcessUse> Processes, TimeSpan Postgres)
{
    public static Sample operator -(Sample later, Sample earlier) => new(
        later.Processes.Zip(earlier.Processes, (l, e) => l with { Cpu = l.Cpu - e.Cpu }).ToList(),
        later.Postgres - earlier.Postgres);
}
