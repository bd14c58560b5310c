using Genie.Testing;

namespace Genie.Faults.Tests.Processes;

/// <summary>
/// A service's build output as an OS process on fixed loopback ports, over a given database and signing key: kept so
/// it can be killed and started again exactly as it was, the way an orchestrator restarts a crashed pod.
/// </summary>
internal sealed record LoopbackService(string Name, Uri Grpc, Uri Http, IReadOnlyDictionary<string, string> Settings)
{
    /// <param name="settings">More environment (e.g. <c>Genie__Retrieval__SyncParallelism</c>).</param>
    public static LoopbackService Create(string name, string database, string signingKey, IReadOnlyDictionary<string, string>? settings = null)
    {
        var grpc = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var http = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__genie"] = database,
            ["Genie__Auth__SigningKey"] = signingKey,
            ["Kestrel__Endpoints__grpc__Url"] = grpc.ToString(),
            ["Kestrel__Endpoints__grpc__Protocols"] = "Http2",
            ["Kestrel__Endpoints__http__Url"] = http.ToString(),
            ["Kestrel__Endpoints__http__Protocols"] = "Http1",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            environment[key] = value;
        return new LoopbackService(name, grpc, http, environment);
    }

    /// <summary>Starts the process and waits until its /health says ready.</summary>
    public async Task<ServiceProcess> StartAsync(TimeSpan patience)
    {
        var process = ServiceProcess.StartProject(Name, Settings, new Uri(Http, "/health"));
        try
        {
            await process.WaitHealthyAsync(patience);
            return process;
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }
}
