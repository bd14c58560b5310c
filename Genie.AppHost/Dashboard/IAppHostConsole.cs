using Genie.AppHost.Hosting;

namespace Genie.AppHost.Dashboard;

/// <summary>
/// Where the AppHost talks to its user: a live Spectre.Console table on a terminal, plain lines
/// otherwise (CI, tests).
/// </summary>
internal interface IAppHostConsole
{
    void Info(string message);

    void Warn(string message);

    void Error(string message);

    /// <summary>A resource failed: say so with the last lines of its log.</summary>
    void ReportFailure(string resource, string summary, IReadOnlyList<string> logTail);

    /// <summary>Runs <paramref name="work"/> while showing a progress bar per reported task.</summary>
    Task TrackProgressAsync(string title, Func<IProgress<ProgressUpdate>, Task> work);

    /// <summary>Shows the resource table until <paramref name="cancellationToken"/> is cancelled.</summary>
    Task ShowResourcesAsync(DistributedApplication app, CancellationToken cancellationToken);
}

/// <summary>Progress of one task (e.g. one layer of a model download), in bytes.</summary>
internal sealed record ProgressUpdate(string Task, long Completed, long Total);
