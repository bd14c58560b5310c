using System.Diagnostics;
using Genie.Testing;
using Npgsql;

namespace Genie.Load.Bench;

/// <summary>
/// What the services cost during a step: this process's CPU time and peak RSS (Retrieval, Agent and the client
/// share it), the PostgreSQL cluster's CPU time (postmaster and backends), and its connections in pg_stat_activity.
/// </summary>
public sealed class Meter(PostgresCluster cluster)
{
    public Sample Sample()
    {
        var self = Process.GetCurrentProcess();
        self.Refresh();
        return new Sample(self.TotalProcessorTime, PostgresCpu(), self.WorkingSet64 / (1024.0 * 1024.0));
    }

    public async Task<int> ConnectionsAsync()
    {
        await using var connection = new NpgsqlConnection(cluster.AdminConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'", connection);
        return (int)(long)(await count.ExecuteScalarAsync())!;
    }

    private TimeSpan PostgresCpu()
    {
        var pidFile = Path.Combine(cluster.DataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadLines(pidFile).First(), out var postmaster)) return TimeSpan.Zero;
        var total = TimeSpan.Zero;
        foreach (var pid in ProcFs.ProcessIds())
        {
            if (ProcFs.TryReadProcess(pid, out var parent, out var cpu) && (pid == postmaster || parent == postmaster))
                total += cpu;
        }
        return total;
    }
}

/// <param name="RssMiB">Resident set size at the end (for a difference: the later sample's).</param>
public sealed record Sample(TimeSpan Process, TimeSpan Postgres, double RssMiB)
{
    public static Sample operator -(Sample later, Sample earlier) => new(later.Process - earlier.Process, later.Postgres - earlier.Postgres, later.RssMiB);
}
