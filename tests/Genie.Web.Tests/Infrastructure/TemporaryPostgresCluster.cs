using System.Diagnostics;
using Npgsql;

namespace Genie.Testing;

// Stand-in with the foundation's PostgresCluster API until it is on main; deleted at that merge.
public sealed class PostgresCluster
{
    private static readonly Lazy<Task<PostgresCluster>> Shared = new(StartAsync);
    private static int _counter;
    private readonly int _port;

    private PostgresCluster(int port) => _port = port;

    public static Task<PostgresCluster> GetSharedAsync() => Shared.Value;

    public async Task<string> CreateDatabaseAsync(string? prefix = null)
    {
        var name = $"{prefix ?? "test"}_{Environment.ProcessId}_{Interlocked.Increment(ref _counter)}";
        await using (var admin = new NpgsqlConnection(For("postgres")))
        {
            await admin.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await cmd.ExecuteNonQueryAsync();
        }
        return For(name);
    }

    private string For(string db) => $"Host=127.0.0.1;Port={_port};Username=postgres;Database={db}";

    private static async Task<PostgresCluster> StartAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"genie-web-pg-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        Run("chown", "postgres", dir);
        var port = Infrastructure.PortalHost_FreePort();
        Run("runuser", "-u", "postgres", "--", "/usr/lib/postgresql/15/bin/initdb", "-D", dir + "/data", "-A", "trust", "-U", "postgres");
        Run("runuser", "-u", "postgres", "--", "/usr/lib/postgresql/15/bin/pg_ctl", "-D", dir + "/data", "-w", "-l", dir + "/log",
            "-o", $"-p {port} -k {dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300", "start");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            Run("runuser", "-u", "postgres", "--", "/usr/lib/postgresql/15/bin/pg_ctl", "-D", dir + "/data", "-m", "immediate", "stop");
            Directory.Delete(dir, true);
        };
        await Task.CompletedTask;
        return new PostgresCluster(port);
    }

    private static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)}: {err}");
    }
}

internal static class Infrastructure
{
    public static int PortalHost_FreePort() => Genie.Web.Tests.Infrastructure.PortalHost.FreePort();
}
