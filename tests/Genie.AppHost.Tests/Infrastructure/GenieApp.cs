using System.Security.Cryptography;
using Genie.ServiceDefaults.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Genie.AppHost.Tests.Infrastructure;

/// <summary>
/// The real AppHost (Program.cs) started through Aspire.Hosting.Testing: DCP runs the processes.
/// Settings are the AppHost's configuration (command-line style); every app gets its own state
/// directory and signing key, the dashboard is off unless asked for.
/// </summary>
public sealed class GenieApp : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(6);
    private readonly bool _ownsStateDirectory;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ResourceEvent> _latest = new();
    private readonly CancellationTokenSource _stopWatching = new();

    private GenieApp(DistributedApplication app, string stateDirectory, string signingKey, bool ownsStateDirectory)
    {
        Application = app;
        StateDirectory = stateDirectory;
        SigningKey = signingKey;
        _ownsStateDirectory = ownsStateDirectory;
        _ = Task.Run(WatchAsync);
    }

    public DistributedApplication Application { get; }

    public string StateDirectory { get; }

    public string SigningKey { get; }

    public ResourceNotificationService Notifications => Application.Services.GetRequiredService<ResourceNotificationService>();

    /// <summary>Issues tokens the services accept (signed with this run's key).</summary>
    public TokenService Tokens => new(new AuthOptions { SigningKey = AuthOptions.DecodeKey(SigningKey) });

    /// <summary>
    /// Builds the AppHost with <paramref name="settings"/>, lets <paramref name="adjust"/> change the
    /// model (e.g. keep only some resources), starts it and waits until <paramref name="waitHealthy"/>
    /// (default: every service) is healthy.
    /// </summary>
    public static async Task<GenieApp> StartAsync(
        ITestOutputHelper output,
        IDictionary<string, string>? settings = null,
        Action<IDistributedApplicationTestingBuilder>? adjust = null,
        IEnumerable<string>? waitHealthy = null,
        bool dashboard = false,
        string? stateDirectory = null)
    {
        var ownsState = stateDirectory is null;
        stateDirectory ??= NewStateDirectory();
        var signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        var all = new Dictionary<string, string>
        {
            ["Genie:StateDirectory"] = stateDirectory,
            ["Genie:Auth:SigningKey"] = signingKey,
            ["Genie:Ollama:Url"] = $"http://127.0.0.1:{Genie.Testing.FreePort.Next()}",
            ["Genie:Portal:Port"] = Genie.Testing.FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            all[key] = value;

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Genie_AppHost>(
            all.Select(s => $"--{s.Key}={s.Value}").ToArray(),
            (options, _) => options.DisableDashboard = !dashboard);
        builder.Services.AddLogging(logging => logging
            .AddFilter("Aspire.Hosting.Dcp", LogLevel.Warning)
            .AddProvider(new TestOutputLoggerProvider(output)));
        adjust?.Invoke(builder);

        var app = await builder.BuildAsync();
        var genie = new GenieApp(app, stateDirectory, signingKey, ownsState);
        try
        {
            using var timeout = new CancellationTokenSource(StartTimeout);
            await app.StartAsync(timeout.Token);
            foreach (var resource in waitHealthy ?? ["retrieval", "lmsbridge", "agent", "web"])
                await genie.Notifications.WaitForResourceHealthyAsync(resource, timeout.Token);
            return genie;
        }
        catch (OperationCanceledException) when (app.Services.GetRequiredService<Genie.AppHost.Setup.SetupFailures>().ExitCode != 0)
        {
            return genie; // stopped while starting by a reported setup problem; the test looks at it
        }
        catch
        {
            await genie.DisposeAsync();
            throw;
        }
    }

    public static string NewStateDirectory()
    {
        var directory = Directory.CreateTempSubdirectory("genie-apphost-test-").FullName;
        // The local cluster runs as the postgres OS user when the tests run as root.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        return directory;
    }

    /// <summary>The <paramref name="endpoint"/> ("grpc" or "http") of a resource, as its clients reach it.</summary>
    public Uri GetEndpoint(string resource, string endpoint = "http") => Application.GetEndpoint(resource, endpoint);

    public HttpClient CreateHttpClient(string resource) => Application.CreateHttpClient(resource, "http");

    /// <summary>The latest state of every replica of <paramref name="resource"/>, ordered by id.</summary>
    public IReadOnlyList<ResourceEvent> Replicas(string resource) =>
        _latest.Values.Where(e => e.Resource.Name == resource).OrderBy(e => e.ResourceId, StringComparer.Ordinal).ToList();

    private async Task WatchAsync()
    {
        try
        {
            await foreach (var update in Notifications.WatchAsync(_stopWatching.Token))
                _latest[update.ResourceId] = update;
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopWatching.CancelAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            try
            {
                await Application.StopAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
        await Application.DisposeAsync();
        if (_ownsStateDirectory && Directory.Exists(StateDirectory))
            Directory.Delete(StateDirectory, recursive: true);
    }
}

public static class ModelAdjustments
{
    /// <summary>Removes every resource but <paramref name="names"/> (and the parameters) from the model.</summary>
    public static Action<IDistributedApplicationTestingBuilder> KeepOnly(params string[] names) => builder =>
    {
        foreach (var resource in builder.Resources.Where(r => r is not ParameterResource && !names.Contains(r.Name)).ToList())
            builder.Resources.Remove(resource);
    };
}
