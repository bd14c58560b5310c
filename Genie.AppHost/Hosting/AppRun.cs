using Genie.AppHost.Dashboard;
using Microsoft.Extensions.Configuration;

namespace Genie.AppHost.Hosting;

/// <summary>What resources share while the app model runs: configuration, folders, the console.</summary>
internal sealed class AppRun(IConfiguration configuration, string stateDirectory, IAppHostConsole console, DateTimeOffset startedAt)
{
    private readonly Lock _diagnosticsGate = new();

    public IConfiguration Configuration { get; } = configuration;

    public string StateDirectory { get; } = stateDirectory;

    public string LogsDirectory => Path.Combine(StateDirectory, "logs");

    public IAppHostConsole Console { get; } = console;

    public DateTimeOffset StartedAt { get; } = startedAt;

    /// <summary>Full details of an unexpected failure go to .genie/logs/apphost.log; the console gets one line.</summary>
    public void LogException(string context, Exception exception)
    {
        lock (_diagnosticsGate)
        {
            Directory.CreateDirectory(LogsDirectory);
            File.AppendAllText(Path.Combine(LogsDirectory, "apphost.log"), $"{DateTimeOffset.Now:u} {context}{Environment.NewLine}{exception}{Environment.NewLine}");
        }
    }
}
