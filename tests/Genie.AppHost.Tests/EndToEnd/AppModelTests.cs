using Genie.AppHost.Tests.Infrastructure;
using Grpc.Health.V1;

namespace Genie.AppHost.Tests.EndToEnd;

/// <summary>The real app model of Program.cs under DCP: the four services against real PostgreSQL.</summary>
[Collection(SharedAppCollection.Name)]
public sealed class AppModelTests(SharedApp shared)
{
    private static readonly string[] Services = ["retrieval", "lmsbridge", "agent", "web"];
    private GenieApp App => shared.App;

    [Fact]
    public async Task Every_service_is_healthy_answers_grpc_and_the_portal_answers_on_its_configured_port()
    {
        foreach (var service in Services)
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await ServiceCalls.HealthAsync(App, service));
        foreach (var service in new[] { "retrieval", "agent", "lmsbridge" })
            Assert.Equal(service, (await ServiceCalls.ServiceInfoAsync(App, service)).Service);

        var portal = new Uri($"http://localhost:{shared.PortalPort}/");
        Assert.Equal(portal, App.GetEndpoint("web", "http"));
        using var client = new HttpClient();
        using var response = await client.GetAsync(new Uri(portal, "health"));
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());

        // Web builds invitation links from its public URL: the same stable address.
        var web = Assert.Single(App.Replicas("web"));
        Assert.Equal($"http://localhost:{shared.PortalPort}", Genie.Testing.ProcFs.Environment(Processes.Pid(web))["Genie__Web__PublicUrl"]);
    }

    [Fact]
    public async Task Calls_to_the_agent_spread_over_its_two_replicas()
    {
        Assert.Equal(2, App.Replicas("agent").Count);
        // DCP's proxy spreads connections: each call here comes on a connection of its own.
        var instances = new HashSet<string>();
        for (var call = 0; call < 20 && instances.Count < 2; call++)
            instances.Add((await ServiceCalls.ServiceInfoAsync(App, "agent")).Instance);

        Assert.Equal(2, instances.Count);
    }

    [Fact]
    public async Task A_killed_service_is_restarted_and_healthy_while_the_others_never_go_down()
    {
        var victim = Assert.Single(App.Replicas("retrieval"));
        var killed = Processes.ServicePid(victim);
        var launcher = Processes.Pid(victim);
        var others = Services.Where(s => s != "retrieval").ToList();
        var othersBefore = others.SelectMany(App.Replicas).ToDictionary(r => r.ResourceId, Processes.Pid);

        using var stopWatching = new CancellationTokenSource();
        var watchers = others.Select(s => HealthFailures.CountAsync(App.CreateHttpClient(s), stopWatching.Token)).ToList();
        using var timeout = new CancellationTokenSource(GenieApp.StartTimeout);
        // Waits match the model name ("retrieval"); the replica is told apart by its id.
        var exited = App.Notifications.WaitForResourceAsync("retrieval",
            e => e.ResourceId == victim.ResourceId && e.Snapshot.State?.Text is "Exited" or "Finished", timeout.Token);
        System.Diagnostics.Process.GetProcessById(killed).Kill();
        await exited;
        var back = await App.Notifications.WaitForResourceAsync("retrieval",
            e => e.ResourceId == victim.ResourceId && e.Snapshot.State?.Text == KnownResourceStates.Running
                && Processes.Pid(e) != launcher && e.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy,
            timeout.Token);
        await stopWatching.CancelAsync();

        Assert.NotEqual(killed, Processes.ServicePid(back));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await ServiceCalls.HealthAsync(App, "retrieval"));
        Assert.All(await Task.WhenAll(watchers), failures => Assert.Equal(0, failures));
        Assert.Equal(othersBefore, others.SelectMany(App.Replicas).ToDictionary(r => r.ResourceId, Processes.Pid));
    }
}
