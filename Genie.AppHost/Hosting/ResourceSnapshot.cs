namespace Genie.AppHost.Hosting;

public enum ResourceState
{
    NotStarted,
    Waiting,
    Starting,
    Running,
    Unhealthy,
    Restarting,
    Stopping,
    Stopped,
    Failed,
}

/// <summary>One row of the resource table: a resource, or one replica of a project.</summary>
public sealed record ResourceSnapshot(
    string Name,
    string Kind,
    ResourceState State,
    IReadOnlyList<string> Urls,
    bool? Healthy = null,
    int Restarts = 0,
    int? ProcessId = null,
    long? ResidentBytes = null,
    string? Detail = null);
