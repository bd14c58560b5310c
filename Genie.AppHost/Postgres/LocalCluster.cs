using System.Globalization;
using Genie.AppHost.Setup;
using Microsoft.Extensions.Logging;

namespace Genie.AppHost.Postgres;

/// <summary>
/// Gets the local cluster's data directory ready before DCP starts the server: created with initdb
/// on the first start (loopback TCP only, trust auth), and freed from a server a killed run left behind.
/// </summary>
internal static class LocalCluster
{
    public static async Task PrepareAsync(LocalPostgresResource server, ILogger logger, CancellationToken cancellationToken)
    {
        await EnsureOsUserAsync(server.RunAs, cancellationToken);
        if (!File.Exists(Path.Combine(server.DataDirectory, "PG_VERSION")))
        {
            logger.LogInformation("Creating the local PostgreSQL cluster in {DataDirectory}", server.DataDirectory);
            await InitializeAsync(server, cancellationToken);
        }
        else if (PostmasterIsRunning(server.DataDirectory))
        {
            logger.LogInformation("Stopping a PostgreSQL server an earlier run left behind");
            await ToolProcess.RunAsync(server.Binaries.PgCtl, ["stop", "-D", server.DataDirectory, "-m", "fast", "-w", "-t", "60"], server.RunAs, cancellationToken);
        }
    }

    private static async Task InitializeAsync(LocalPostgresResource server, CancellationToken cancellationToken)
    {
        var data = server.DataDirectory;
        if (Directory.Exists(data))
            Directory.Delete(data, recursive: true); // a half-made cluster from an interrupted first run
        Directory.CreateDirectory(data);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (server.RunAs is { } user)
        {
            var chown = await ToolProcess.RunAsync("chown", ["-R", $"{user}:", data], null, cancellationToken);
            if (chown.ExitCode != 0)
                throw new SetupException($"Cannot hand {data} to the {user} OS user: {chown.Output}");
        }

        var result = await ToolProcess.RunAsync(server.Binaries.InitDb,
            ["-D", data, "-U", LocalPostgresResource.Superuser, "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-instructions"],
            server.RunAs, cancellationToken);
        if (result.ExitCode != 0)
        {
            var reason = result.Output.Contains("Permission denied", StringComparison.Ordinal)
                ? $"the {server.RunAs ?? Environment.UserName} OS user cannot reach {data}: set Genie__StateDirectory to a directory it can access"
                : result.Output.Split('\n')[^1];
            throw new SetupException($"initdb could not create the local PostgreSQL cluster: {reason}.");
        }
        // Loopback TCP only; no Unix socket (its default directory may not exist or be writable here).
        // The port comes from PGPORT, set by DCP from the resource's endpoint.
        await File.AppendAllTextAsync(Path.Combine(data, "postgresql.conf"),
            "\n# Genie.AppHost\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\nlogging_collector = off\n", cancellationToken);
    }

    private static bool PostmasterIsRunning(string dataDirectory)
    {
        try
        {
            var first = File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).FirstOrDefault();
            return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Directory.Exists($"/proc/{pid}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static async Task EnsureOsUserAsync(string? user, CancellationToken cancellationToken)
    {
        if (user is null)
            return;
        if ((await ToolProcess.RunAsync("id", ["-u", user], null, cancellationToken)).ExitCode != 0)
            throw new SetupException(
                $"PostgreSQL refuses to run as root and there is no '{user}' OS user: run scripts/install-deps.sh (apt-get install postgresql creates it) or run as a normal user.");
    }
}
