using Genie.Testing;
using Npgsql;

namespace Genie.Reliability.Tests;

/// <summary>A cluster that restore.sh made (and stopped), started again on a free loopback port to look inside.</summary>
internal sealed class RunningCluster : IAsyncDisposable
{
    private readonly string _dataDirectory;
    private readonly string _pgCtl;

    private RunningCluster(string dataDirectory, string pgCtl, int port)
    {
        _dataDirectory = dataDirectory;
        _pgCtl = pgCtl;
        GenieConnectionString = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "postgres", Database = "genie" }.ConnectionString;
    }

    public string GenieConnectionString { get; }

    public static RunningCluster Start(string dataDirectory)
    {
        var pgCtl = Directory.GetDirectories("/usr/lib/postgresql")
            .Select(d => System.IO.Path.Combine(d, "bin", "pg_ctl"))
            .Where(File.Exists)
            .OrderByDescending(p => int.TryParse(System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(p))), out var v) ? v : 0)
            .First();
        var port = FreePort.Next();
        OsUser.ForPostgres().Run(pgCtl,
            ["-D", dataDirectory, "-l", System.IO.Path.Combine(dataDirectory, "test.log"), "-w", "-t", "60", "-o", $"-p {port} -c listen_addresses=127.0.0.1", "start"],
            "pg_ctl start");
        return new RunningCluster(dataDirectory, pgCtl, port);
    }

    public ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        OsUser.ForPostgres().TryRun(_pgCtl, ["-D", _dataDirectory, "-m", "immediate", "-w", "stop"], out _);
        return ValueTask.CompletedTask;
    }
}
