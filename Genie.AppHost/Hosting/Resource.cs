namespace Genie.AppHost.Hosting;

/// <summary>
/// A part of the app model: infrastructure (PostgreSQL, Ollama), a generated value (signing key,
/// admin sign-in) or a project run as child processes. Each starts once everything it waits for is
/// ready, and reports itself as rows of the resource table.
/// </summary>
public abstract class Resource(string name)
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name { get; } = name;

    /// <summary>Resources that must be ready before this one starts (<c>WaitFor</c>).</summary>
    public List<Resource> WaitsFor { get; } = [];

    /// <summary>Completes the first time the resource is ready (provisioned, or every instance healthy).</summary>
    public Task Ready => _ready.Task;

    /// <summary>Provisions or launches the resource; returns once it is running (not necessarily healthy).</summary>
    internal abstract Task StartAsync(AppRun run, CancellationToken cancellationToken);

    internal virtual Task StopAsync() => Task.CompletedTask;

    internal abstract IEnumerable<ResourceSnapshot> Snapshot();

    internal void MarkReady() => _ready.TrySetResult();

    internal void MarkFailed(Exception error) => _ready.TrySetException(error);
}

/// <summary>A resource whose values reach the projects that reference it, as environment variables.</summary>
public interface IReferenceable
{
    /// <summary>Adds this resource's variables; may wait until the resource is provisioned.</summary>
    Task AddEnvironmentAsync(IDictionary<string, string> environment, CancellationToken cancellationToken);
}
