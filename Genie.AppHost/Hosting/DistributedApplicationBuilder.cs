using Genie.AppHost.LocalState;
using Microsoft.Extensions.Configuration;

namespace Genie.AppHost.Hosting;

/// <summary>
/// Collects the resources of the app model, like Aspire's <c>IDistributedApplicationBuilder</c>.
/// Configuration comes from environment variables and the command line (<c>--replicas agent=2</c>,
/// <c>--Genie:Ollama:Url=...</c>); a test harness may lay its own values on top.
/// </summary>
public sealed class DistributedApplicationBuilder
{
    private readonly List<Resource> _resources = [];

    internal DistributedApplicationBuilder(string[] args, AppHostTestHook? testHook)
    {
        TestHook = testHook;
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables();
        try
        {
            configuration.AddInMemoryCollection(CommandLine.Parse(args));
        }
        catch (AppHostException e)
        {
            Problems.Add(e.Message);
        }
        if (testHook is not null)
            configuration.AddInMemoryCollection(testHook.Configuration);
        Configuration = configuration.Build();
        StateDirectory = LocalStateDirectory.Resolve(Configuration);
    }

    public IConfiguration Configuration { get; }

    /// <summary>Where data, keys and logs of local runs live (<c>.genie/</c> at the repository root).</summary>
    public string StateDirectory { get; }

    internal AppHostTestHook? TestHook { get; }

    /// <summary>
    /// Mistakes found while the model is described (a bad argument, an unknown project). Reported by
    /// RunAsync as one line each with a non-zero exit, never thrown out of Program.cs as a stack trace.
    /// </summary>
    internal List<string> Problems { get; } = [];

    internal IReadOnlyList<Resource> Resources => _resources;

    public ResourceBuilder<T> AddResource<T>(T resource) where T : Resource
    {
        if (_resources.Any(r => string.Equals(r.Name, resource.Name, StringComparison.OrdinalIgnoreCase)))
            throw new InvalidOperationException($"The app model already has a resource named '{resource.Name}'.");
        _resources.Add(resource);
        return new ResourceBuilder<T>(this, resource);
    }

    public DistributedApplication Build() => new(this);
}

/// <summary>A handle on one resource while the model is being described (fluent <c>With…</c> calls).</summary>
public sealed class ResourceBuilder<T>(DistributedApplicationBuilder applicationBuilder, T resource) where T : Resource
{
    public DistributedApplicationBuilder ApplicationBuilder { get; } = applicationBuilder;

    public T Resource { get; } = resource;

    /// <summary>Start this resource only once <paramref name="dependency"/> is ready.</summary>
    public ResourceBuilder<T> WaitFor<TOther>(ResourceBuilder<TOther> dependency) where TOther : Resource
    {
        if (!Resource.WaitsFor.Contains(dependency.Resource))
            Resource.WaitsFor.Add(dependency.Resource);
        return this;
    }
}
