using Genie.AppHost.Dashboard;
using Genie.AppHost.Hosting;
using Genie.AppHost.LocalState;
using Genie.AppHost.Postgres;
using Genie.AppHost.Projects;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Genie.ServiceDefaults.Grpc.Client;

namespace Genie.AppHost.Testing;

/// <summary>
/// A running app model in a test: endpoints, ready-made clients (authenticated with a service token
/// signed by the run's key), and the processes behind each resource. Disposing stops everything.
/// </summary>
public sealed class TestApplication : IAsyncDisposable
{
    private readonly AppHostTestHook _hook;
    private readonly Task<int> _run;
    private readonly RecordingWriter _output;
    private readonly List<IDisposable> _owned = [];
    private int? _exitCode;

    private TestApplication(DistributedApplication application, AppHostTestHook hook, Task<int> run, RecordingWriter output)
    {
        Application = application;
        _hook = hook;
        _run = run;
        _output = output;
    }

    public DistributedApplication Application { get; }

    /// <summary>Everything the AppHost printed so far.</summary>
    public string Output => _output.Text;

    public string StateDirectory => Application.StateDirectory;

    /// <summary>The portal's URL (the HTTP endpoint of the project marked AsPortal).</summary>
    public Uri? PortalUrl => PortalSignIn.From(Application)?.Url;

    public string? DatabaseConnectionString => Application.Resources.OfType<PostgresDatabaseResource>().FirstOrDefault()?.ConnectionString;

    public AdminSignInResource? Admin => Application.Resources.OfType<AdminSignInResource>().FirstOrDefault();

    /// <summary>Issues tokens the services accept (signed with the run's key).</summary>
    public TokenService Tokens => new(new AuthOptions
    {
        SigningKey = AuthOptions.DecodeKey(Application.Resources.OfType<SigningKeyResource>().Single().Value!),
    });

    public ProjectResource GetProject(string name) => Application.GetResource<ProjectResource>(name);

    /// <summary>The <paramref name="endpoint"/> ("grpc" or "http") of one replica of a project.</summary>
    public Uri GetEndpoint(string resource, string endpoint = "http", int replica = 0) => GetEndpoints(resource, endpoint)[replica];

    public IReadOnlyList<Uri> GetEndpoints(string resource, string endpoint = "grpc") => GetProject(resource).Instances
        .Select(i => endpoint switch
        {
            "grpc" => i.GrpcEndpoint,
            "http" => i.HttpEndpoint,
            _ => throw new ArgumentException($"Unknown endpoint '{endpoint}': use grpc or http.", nameof(endpoint)),
        })
        .ToList();

    /// <summary>A channel over every replica of <paramref name="resource"/> (round-robin), calling as a service.</summary>
    public GrpcChannel CreateChannel(string resource, string? bearerToken = null)
    {
        var token = bearerToken ?? Tokens.IssueForService("tests", TimeSpan.FromHours(1));
        var channel = new GrpcChannel(GetEndpoints(resource), new GrpcChannelOptions { DefaultBearerToken = () => token });
        _owned.Add(channel);
        return channel;
    }

    /// <summary>A typed client (AgentClient, RetrievalClient, LmsClient, HealthClient …) for a resource.</summary>
    public TClient CreateClient<TClient>(string resource, string? bearerToken = null) where TClient : GrpcClientBase =>
        (TClient)Activator.CreateInstance(typeof(TClient), CreateChannel(resource, bearerToken))!;

    /// <summary>The standard health service of one replica.</summary>
    public HealthClient CreateHealthClient(string resource, int replica = 0)
    {
        var channel = new GrpcChannel([GetEndpoint(resource, "grpc", replica)]);
        _owned.Add(channel);
        return new HealthClient(channel);
    }

    public HttpClient CreateHttpClient(string resource, int replica = 0)
    {
        var client = new HttpClient { BaseAddress = GetEndpoint(resource, "http", replica), Timeout = TimeSpan.FromSeconds(30) };
        _owned.Add(client);
        return client;
    }

    /// <summary>Waits until every replica of <paramref name="resource"/> reports healthy.</summary>
    public async Task WaitForHealthyAsync(string resource, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(1));
        var project = GetProject(resource);
        while (!project.Instances.All(i => i.Healthy && i.State == ResourceState.Running))
        {
            if (cts.IsCancellationRequested)
                throw new TimeoutException($"{resource} did not become healthy.{Environment.NewLine}{Describe(Application)}");
            await Task.Delay(100, CancellationToken.None);
        }
    }

    /// <summary>Waits until <paramref name="instance"/> runs again in a process other than <paramref name="previousProcessId"/>, healthy.</summary>
    public async Task WaitForRestartAsync(ProjectInstance instance, int? previousProcessId, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(1));
        while (!(instance.Healthy && instance.State == ResourceState.Running && instance.ProcessId is { } pid && pid != previousProcessId))
        {
            if (cts.IsCancellationRequested)
                throw new TimeoutException($"{instance.Name} did not come back.{Environment.NewLine}{Describe(Application)}");
            await Task.Delay(100, CancellationToken.None);
        }
    }

    /// <summary>Stops one replica for good (no restart), as when a machine running it goes away.</summary>
    public Task StopReplicaAsync(string resource, int replica) => GetProject(resource).Instances[replica].StopAsync();

    /// <summary>Stops everything (projects, then PostgreSQL) and returns the AppHost's exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (_exitCode is { } known)
            return known;
        await _hook.Stopping.CancelAsync();
        _exitCode = await _run;
        return _exitCode.Value;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        foreach (var owned in _owned)
            owned.Dispose();
        _hook.Stopping.Dispose();
    }

    internal static async Task<TestApplication> WhenReadyAsync(
        DistributedApplication application, AppHostTestHook hook, Task<int> run, RecordingWriter output, TimeSpan timeout)
    {
        var app = new TestApplication(application, hook, run, output);
        var ready = application.AllReady;
        var finished = await Task.WhenAny(ready, run, Task.Delay(timeout));
        if (finished == ready && ready.IsCompletedSuccessfully)
            return app;

        var description = Describe(application);
        var exitCode = await app.StopAsync();
        var reason = finished == run || ready.IsFaulted
            ? $"The app model stopped with exit code {exitCode} before every resource was healthy."
            : $"Not every resource was healthy within {timeout}:{Environment.NewLine}{description}";
        throw new AppHostStartException(reason, output.Text);
    }

    /// <summary>The resource table and the log tails of projects that are not healthy.</summary>
    private static string Describe(DistributedApplication application)
    {
        var lines = application.Resources.SelectMany(r => r.Snapshot()).Select(ResourceFormat.Line).ToList();
        foreach (var instance in application.Resources.OfType<ProjectResource>().SelectMany(p => p.Instances).Where(i => !i.Healthy))
        {
            lines.Add($"--- last lines of {instance.Name}'s log ---");
            lines.AddRange(LogFile.ReadTail(instance.LogPath, 30));
        }
        return string.Join(Environment.NewLine, lines);
    }
}
