namespace Genie.AppHost.Postgres;

/// <summary>
/// Where <c>initdb</c>, <c>pg_ctl</c> and <c>postgres</c> are: <c>Genie:Postgres:BinDirectory</c>, else the
/// PATH, else the newest <c>/usr/lib/postgresql/&lt;version&gt;/bin</c> (Debian's layout).
/// </summary>
public sealed record PostgresBinaries(string BinDirectory)
{
    public const string ConfigurationKey = "Genie:Postgres:BinDirectory";

    public string InitDb => Path.Combine(BinDirectory, "initdb");

    public string PgCtl => Path.Combine(BinDirectory, "pg_ctl");

    public string Postgres => Path.Combine(BinDirectory, "postgres");

    /// <summary>The binaries, or (when they are missing) a placeholder and the <paramref name="problem"/> to report.</summary>
    public static PostgresBinaries Locate(string? configuredDirectory, out string? problem)
    {
        problem = null;
        if (!string.IsNullOrWhiteSpace(configuredDirectory))
        {
            if (!HasTools(configuredDirectory))
                problem = $"PostgreSQL is not installed in {configuredDirectory} ({ConfigurationKey}): it needs initdb, pg_ctl and postgres there.";
            return new PostgresBinaries(configuredDirectory);
        }

        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(DebianBinDirectories());
        foreach (var directory in candidates)
            if (HasTools(directory))
                return new PostgresBinaries(directory);

        problem = "PostgreSQL is not installed (no initdb/pg_ctl on PATH or in /usr/lib/postgresql/*/bin): run scripts/install-deps.sh " +
            "(installs postgresql and pgvector), or set ConnectionStrings__genie to a PostgreSQL server with pgvector.";
        return new PostgresBinaries("/usr/lib/postgresql/bin");
    }

    private static bool HasTools(string directory) =>
        File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl")) && File.Exists(Path.Combine(directory, "postgres"));

    private static IEnumerable<string> DebianBinDirectories()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
            return [];
        return Directory.EnumerateDirectories(root)
            .Select(d => (Directory: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
            .OrderByDescending(d => d.Version)
            .Select(d => Path.Combine(d.Directory, "bin"));
    }
}
