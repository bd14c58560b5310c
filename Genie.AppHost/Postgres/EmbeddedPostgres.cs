using System.Globalization;
using Genie.AppHost.Hosting;
using Genie.AppHost.Projects;

namespace Genie.AppHost.Postgres;

/// <summary>
/// A PostgreSQL cluster of our own under <c>.genie/postgres</c>: created once with initdb and kept
/// between runs, started on a free loopback port (TCP only, trust auth on 127.0.0.1), stopped with
/// a fast shutdown. PostgreSQL refuses to run as root, so as root every tool runs as the
/// <c>postgres</c> OS user, who owns the data directory.
/// </summary>
internal sealed class EmbeddedPostgres(PostgresBinaries binaries, string dataDirectory, string logPath)
{
    public const string Superuser = "postgres";
    private readonly string? _runAs = Environment.IsPrivilegedProcess ? "postgres" : null;

    public string DataDirectory { get; } = dataDirectory;

    public int Port { get; private set; }

    public bool Running { get; private set; }

    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Database=postgres;Username={Superuser};Pooling=false;Timeout=10";

    /// <summary>Process id of the postmaster, from the first line of postmaster.pid.</summary>
    public int? ProcessId
    {
        get
        {
            try
            {
                var first = File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).FirstOrDefault();
                return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await EnsureOsUserAsync(cancellationToken);
        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
            await InitializeAsync(cancellationToken);

        // A run that was killed may have left its server behind: stop it, then start on a fresh port.
        if ((await PgCtlAsync(["status", "-D", DataDirectory], cancellationToken)).ExitCode == 0)
            await PgCtlAsync(["stop", "-D", DataDirectory, "-m", "fast", "-w"], cancellationToken);

        await PrepareLogFileAsync(cancellationToken);
        Port = FreePorts.Take(1)[0];
        var started = await PgCtlAsync(
            ["start", "-D", DataDirectory, "-l", logPath, "-w", "-t", "60", "-o", $"-p {Port}"], cancellationToken);
        if (started.ExitCode != 0)
            throw new AppHostException($"PostgreSQL did not start ({started.Output.Split('\n')[^1]}); see {logPath}.");
        Running = true;
    }

    public async Task StopAsync()
    {
        if (!Running)
            return;
        await PgCtlAsync(["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "30"], CancellationToken.None);
        Running = false;
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (Directory.Exists(DataDirectory))
            Directory.Delete(DataDirectory, recursive: true); // a half-made cluster from an interrupted first run
        Directory.CreateDirectory(DataDirectory);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await GiveToRunAsUserAsync(DataDirectory, cancellationToken);

        var result = await ToolProcess.RunAsync(binaries.InitDb,
            ["-D", DataDirectory, "-U", Superuser, "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-instructions"],
            _runAs, cancellationToken);
        if (result.ExitCode != 0)
        {
            var reason = result.Output.Contains("Permission denied", StringComparison.Ordinal)
                ? $"the {_runAs ?? Environment.UserName} OS user cannot reach {DataDirectory}: set Genie__StateDirectory to a directory it can access"
                : result.Output.Split('\n')[^1];
            throw new AppHostException($"initdb could not create the local PostgreSQL cluster: {reason}.");
        }
        // Loopback TCP only; no Unix socket (its default directory may not exist or be writable here).
        await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"),
            "\n# Genie.AppHost\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n", cancellationToken);
    }

    private async Task PrepareLogFileAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        if (!File.Exists(logPath))
            await File.WriteAllTextAsync(logPath, "", cancellationToken);
        await GiveToRunAsUserAsync(logPath, cancellationToken);
    }

    private Task<ToolProcess.Result> PgCtlAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        ToolProcess.RunAsync(binaries.PgCtl, arguments, _runAs, cancellationToken);

    private async Task EnsureOsUserAsync(CancellationToken cancellationToken)
    {
        if (_runAs is null)
            return;
        var result = await ToolProcess.RunAsync("id", ["-u", _runAs], null, cancellationToken);
        if (result.ExitCode != 0)
            throw new AppHostException(
                $"PostgreSQL refuses to run as root and there is no '{_runAs}' OS user: run scripts/install-deps.sh (apt-get install postgresql creates it) or run as a normal user.");
    }

    private async Task GiveToRunAsUserAsync(string path, CancellationToken cancellationToken)
    {
        if (_runAs is null)
            return;
        var result = await ToolProcess.RunAsync("chown", ["-R", $"{_runAs}:", path], null, cancellationToken);
        if (result.ExitCode != 0)
            throw new AppHostException($"Cannot hand {path} to the {_runAs} OS user: {result.Output}");
    }
}
