using System.Diagnostics;
using Npgsql;

namespace Genie.Testing;

/// <summary>
/// A throwaway PostgreSQL 15 cluster shared by every test of one test process: created in a temp
/// folder on first use, tuned for speed over durability, stopped and deleted when the process exits.
/// Each test class takes its own fresh database from it with <see cref="CreateDatabaseAsync"/>.
/// A fault test that stops and starts PostgreSQL takes a private cluster instead (<see cref="StartPrivateAsync"/>).
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private const string InstallHint = "run scripts/install-deps.sh";
    private const int StartAttempts = 3;

    private static readonly Lazy<Task<PostgresCluster>> shared = new(StartNewAsync);
    private static int databaseCounter;

    private readonly PostgresBinaries binaries;
    private readonly string baseDirectory;
    private int stopped;

    private readonly string serverOptions;

    private PostgresCluster(PostgresBinaries binaries, string baseDirectory, int port, string serverOptions)
    {
        this.binaries = binaries;
        this.baseDirectory = baseDirectory;
        this.serverOptions = serverOptions;
        Port = port;
    }

    public int Port { get; }

    public string DataDirectory => Path.Combine(baseDirectory, "data");

    /// <summary>Superuser connection to the cluster's maintenance database "postgres".</summary>
    public string AdminConnectionString => ConnectionStringFor("postgres");

    /// <summary>The cluster of this test process, started on first call.</summary>
    public static Task<PostgresCluster> GetSharedAsync() => shared.Value;

    /// <summary>A cluster of the caller's own, to stop and start at will; deleted when disposed (or when this process exits).</summary>
    public static Task<PostgresCluster> StartPrivateAsync() => StartNewAsync();

    /// <summary>
    /// Stops the server with <c>pg_ctl stop -m fast</c> (clients are disconnected, a clean shutdown) or <c>-m immediate</c>
    /// (no shutdown checkpoint, as after a crash; the next start recovers from the WAL).
    /// </summary>
    public Task StopAsync(bool immediate = false) => Task.Run(() => OsUser.ForPostgres().Run(binaries.PgCtl,
        ["-D", DataDirectory, "-m", immediate ? "immediate" : "fast", "-w", "-t", "60", "stop"], "pg_ctl stop"));

    /// <summary>Starts the stopped server again on the same port, so connection strings handed out stay valid.</summary>
    public Task StartAgainAsync() => Task.Run(() => OsUser.ForPostgres().Run(binaries.PgCtl,
        ["-D", DataDirectory, "-l", Path.Combine(baseDirectory, "postgres.log"), "-w", "-t", "60", "-o", serverOptions, "start"], "pg_ctl start"));

    public ValueTask DisposeAsync()
    {
        StopAndDelete();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Creates a new, empty database with the pgvector extension and returns its connection string.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string? prefix = null)
    {
        var name = $"{Sanitize(prefix ?? "test")}_{Environment.ProcessId}_{Interlocked.Increment(ref databaseCounter)}";
        await using (var admin = new NpgsqlConnection(AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = ConnectionStringFor(name);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var extension = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS vector", connection);
            try
            {
                await extension.ExecuteNonQueryAsync();
            }
            catch (PostgresException ex)
            {
                throw new InvalidOperationException(
                    $"pgvector is not installed for PostgreSQL 15 ({ex.MessageText}): {InstallHint}", ex);
            }
        }
        return connectionString;
    }

    private string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
        IncludeErrorDetail = true,
    }.ConnectionString;

    private static async Task<PostgresCluster> StartNewAsync()
    {
        var binaries = PostgresBinaries.Locate();
        var baseDirectory = Directory.CreateTempSubdirectory("genie-pg-").FullName;
        try
        {
            var cluster = await Task.Run(() => Start(binaries, baseDirectory));
            AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.StopAndDelete();
            return cluster;
        }
        catch
        {
            TryDelete(baseDirectory);
            throw;
        }
    }

    private static PostgresCluster Start(PostgresBinaries binaries, string baseDirectory)
    {
        var runAs = OsUser.ForPostgres();
        runAs.GiveOwnership(baseDirectory);
        var dataDirectory = Path.Combine(baseDirectory, "data");
        var logFile = Path.Combine(baseDirectory, "postgres.log");

        runAs.Run(binaries.InitDb,
            ["-D", dataDirectory, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"],
            "initdb");

        // The port is free when picked but another process may grab it first: retry with a new one.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            var options = string.Join(' ',
                $"-p {port}", $"-k '{baseDirectory}'", "-c listen_addresses=127.0.0.1",
                "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
                "-c max_connections=200", "-c shared_buffers=64MB");
            var started = runAs.TryRun(binaries.PgCtl,
                ["-D", dataDirectory, "-l", logFile, "-w", "-t", "60", "-o", options, "start"],
                out var output);
            if (started)
            {
                var cluster = new PostgresCluster(binaries, baseDirectory, port, options);
                StartOrphanGuard(runAs, binaries, dataDirectory, baseDirectory);
                return cluster;
            }
            if (attempt == StartAttempts)
            {
                var log = File.Exists(logFile) ? File.ReadAllText(logFile) : "";
                throw new InvalidOperationException($"PostgreSQL did not start: {output}\n{log}");
            }
        }
    }

    /// <summary>
    /// ProcessExit does not run when the test host is killed; a detached shell watches this process
    /// and stops the cluster if it disappears, so no postgres outlives its test run.
    /// </summary>
    private static void StartOrphanGuard(OsUser runAs, PostgresBinaries binaries, string dataDirectory, string baseDirectory)
    {
        var stop = runAs.ShellCommand(binaries.PgCtl, ["-D", dataDirectory, "-m", "immediate", "-w", "stop"]);
        var script = "exec </dev/null >/dev/null 2>&1; "
                     + $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 2; done; "
                     + $"if [ -d '{dataDirectory}' ]; then {stop} >/dev/null 2>&1; rm -rf '{baseDirectory}'; fi";
        var guard = new ProcessStartInfo("/bin/sh", ["-c", script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process.Start(guard);
    }

    private void StopAndDelete()
    {
        if (Interlocked.Exchange(ref stopped, 1) == 1)
            return;
        OsUser.ForPostgres().TryRun(binaries.PgCtl, ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], out _);
        TryDelete(baseDirectory);
    }

    private static void TryDelete(string directory)
    {
        // Backends may still be exiting right after an immediate stop; the orphan guard retries later.
        for (var attempt = 1; attempt <= 3 && Directory.Exists(directory); attempt++)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(100);
            }
        }
    }

    private static string Sanitize(string prefix)
    {
        var chars = prefix.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray();
        var name = new string(chars);
        return name.Length > 40 ? name[..40] : name;
    }

    private sealed record PostgresBinaries(string InitDb, string PgCtl)
    {
        private const string DebianBinDirectory = "/usr/lib/postgresql/15/bin";

        public static PostgresBinaries Locate()
        {
            var directory = new[] { DebianBinDirectory, PgConfigBinDirectory(), DirectoryOnPath("initdb") }
                .FirstOrDefault(d => d is not null && File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
                ?? throw new InvalidOperationException(
                    $"PostgreSQL 15 server binaries (initdb, pg_ctl) not found in {DebianBinDirectory}, pg_config --bindir or PATH: {InstallHint}");

            var vector = Path.GetFullPath(Path.Combine(directory, "..", "lib", "vector.so"));
            if (directory == DebianBinDirectory && !File.Exists(vector))
                throw new InvalidOperationException($"pgvector is not installed ({vector} is missing): {InstallHint}");

            return new PostgresBinaries(Path.Combine(directory, "initdb"), Path.Combine(directory, "pg_ctl"));
        }

        private static string? PgConfigBinDirectory()
        {
            try
            {
                var info = new ProcessStartInfo("pg_config", ["--bindir"]) { RedirectStandardOutput = true, RedirectStandardError = true };
                using var process = Process.Start(info)!;
                var output = process.StandardOutput.ReadToEnd().Trim();
                process.WaitForExit();
                return process.ExitCode == 0 && output.Length > 0 ? output : null;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null;
            }
        }

        private static string? DirectoryOnPath(string executable) =>
            (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, executable)));
    }
}
