using Genie.AppHost.Hosting;

namespace Genie.AppHost.Projects;

/// <summary>
/// A .NET project run as child processes (<c>dotnet &lt;dll&gt;</c>, built once with the AppHost), one per
/// replica, each with its own free ports. Referencing it gives a project
/// <c>services__&lt;name&gt;__grpc__N</c> and <c>services__&lt;name&gt;__http__N</c> for every replica.
/// </summary>
public sealed class ProjectResource(string name, string assemblyPath, string workingDirectory, IReadOnlyList<string> arguments)
    : Resource(name), IReferenceable
{
    private List<ProjectInstance> _instances = [];

    public string AssemblyPath { get; } = assemblyPath;

    public string WorkingDirectory { get; } = workingDirectory;

    public IReadOnlyList<string> Arguments { get; } = arguments;

    public int Replicas { get; internal set; } = 1;

    /// <summary>True for the project whose HTTP endpoint is the portal users open.</summary>
    public bool IsPortal { get; internal set; }

    internal List<IReferenceable> References { get; } = [];

    internal Dictionary<string, string> Environment { get; } = [];

    public IReadOnlyList<ProjectInstance> Instances => _instances;

    /// <summary>Chooses the ports of every replica; done when the model is built so references can name them.</summary>
    internal void AllocateEndpoints()
    {
        var ports = FreePorts.Take(2 * Replicas);
        _instances = [.. Enumerable.Range(0, Replicas).Select(i => new ProjectInstance(this, i, ports[2 * i], ports[2 * i + 1]))];
    }

    public Task AddEnvironmentAsync(IDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        foreach (var instance in _instances)
        {
            environment[$"services__{Name}__grpc__{instance.Index}"] = instance.GrpcEndpoint.ToString().TrimEnd('/');
            environment[$"services__{Name}__http__{instance.Index}"] = instance.HttpEndpoint.ToString().TrimEnd('/');
        }
        return Task.CompletedTask;
    }

    internal override async Task StartAsync(AppRun run, CancellationToken cancellationToken)
    {
        if (!File.Exists(AssemblyPath))
            throw new AppHostException($"{Name}: {AssemblyPath} does not exist; build it first (dotnet build Genie.AppHost).");

        var environment = new Dictionary<string, string>(Environment);
        foreach (var reference in References)
            await reference.AddEnvironmentAsync(environment, cancellationToken);
        foreach (var instance in _instances)
            instance.Start(environment, run, cancellationToken);

        _ = Task.WhenAll(_instances.Select(i => i.FirstHealthy)).ContinueWith(_ => MarkReady(), TaskScheduler.Default);
    }

    internal override Task StopAsync() => Task.WhenAll(_instances.Select(i => i.StopAsync()));

    internal override IEnumerable<ResourceSnapshot> Snapshot()
    {
        var waiting = WaitsFor.Any(d => !d.Ready.IsCompletedSuccessfully);
        return _instances.Select(i => i.Snapshot() is { State: ResourceState.NotStarted } s && waiting ? s with { State = ResourceState.Waiting } : i.Snapshot());
    }
}
