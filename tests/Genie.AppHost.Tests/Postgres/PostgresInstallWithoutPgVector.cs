using System.Diagnostics;

namespace Genie.AppHost.Tests.Postgres;

/// <summary>
/// A real PostgreSQL 15 install without pgvector: the server binaries copied into a temporary
/// prefix (PostgreSQL finds its share and lib folders relative to its own binary), everything else
/// linked from the system install except vector's files. Point Genie:Postgres:BinDirectory at
/// <see cref="BinDirectory"/> to get a cluster where CREATE EXTENSION vector fails.
/// </summary>
public sealed class PostgresInstallWithoutPgVector : IDisposable
{
    private const string SystemBin = "/usr/lib/postgresql/15/bin";
    private const string SystemLib = "/usr/lib/postgresql/15/lib";
    private const string SystemShare = "/usr/share/postgresql/15";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "genie-pg-without-vector-" + Guid.NewGuid().ToString("N")[..8]);

    public PostgresInstallWithoutPgVector()
    {
        BinDirectory = Path.Combine(_root, "lib/postgresql/15/bin");
        var lib = Path.Combine(_root, "lib/postgresql/15/lib");
        var share = Path.Combine(_root, "share/postgresql/15");
        foreach (var directory in new[] { BinDirectory, lib, Path.Combine(share, "extension") })
            Directory.CreateDirectory(directory);

        foreach (var tool in new[] { "initdb", "pg_ctl", "postgres" })
            File.Copy(Path.Combine(SystemBin, tool), Path.Combine(BinDirectory, tool));
        LinkAll(SystemLib, lib, name => name != "vector.so");
        LinkAll(SystemShare, share, name => name != "extension");
        LinkAll(Path.Combine(SystemShare, "extension"), Path.Combine(share, "extension"), name => !name.StartsWith("vector", StringComparison.Ordinal));
        // The postgres OS user runs these when the tests run as root.
        Process.Start("chmod", ["-R", "a+rX", _root])!.WaitForExit();
    }

    public static bool SystemInstallExists => File.Exists(Path.Combine(SystemBin, "postgres"));

    public string BinDirectory { get; }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static void LinkAll(string from, string to, Func<string, bool> include)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(from))
        {
            var name = Path.GetFileName(entry);
            if (include(name))
                File.CreateSymbolicLink(Path.Combine(to, name), entry);
        }
    }
}
