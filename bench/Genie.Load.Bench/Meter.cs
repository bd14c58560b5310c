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
        return new Sample(self.TotalProcessorTime, ProcFs.PostgresCpu(cluster.DataDirectory), self.WorkingSet64 / (1024.0 * 1024.0));
    }

    public async Task<int> ConnectionsAsync()
    {
        await using var connection = new NpgsqlConnection(cluster.AdminConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'", connection);
        return (int)(long)(await count.ExecuteScalarAsync())!;
    }
}

/// <param name="RssMiB">Resident set size at the end (for a difference: the later sample's).</param>
public sealed record Sample(TimeSpan Process, TimeSpan Postgres, double RssMiB)
{
    public static Sample operator -(Sample later, Sample earlier) => new(later.Process - earlier.Process, later.Postgres - earlier.Postgres, later.RssMiB);
}
