using Genie.AppHost.Postgres;
using Genie.AppHost.Projects;
using Genie.AppHost.Testing;
using Genie.Contracts.Common.V1;
using Genie.ServiceDefaults.Clients;
using Genie.Testing;
using Grpc.Health.V1;

namespace Genie.AppHost.Tests.EndToEnd;

/// <summary>The real app model of Program.cs: the four services as child processes, against real PostgreSQL.</summary>
public sealed class AppModelTests(ITestOutputHelper output)
{
    private static readonly string[] Services = ["retrieval", "lmsbridge", "agent", "web"];

    [Fact]
    public async Task Every_service_becomes_healthy_answers_grpc_health_and_the_portal_answers()
    {
        await using var app = await StartAsync();

        foreach (var service in Services)
        {
            var health = await app.CreateHealthClient(service).CheckAsync(new HealthCheckRequest());
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        }
        Assert.Equal("retrieval", (await app.CreateClient<RetrievalClient>("retrieval").GetServiceInfoAsync(new GetServiceInfoRequest())).Service);
        Assert.Equal("agent", (await app.CreateClient<AgentClient>("agent").GetServiceInfoAsync(new GetServiceInfoRequest())).Service);
        Assert.Equal("lmsbridge", (await app.CreateClient<LmsClient>("lmsbridge").GetServiceInfoAsync(new GetServiceInfoRequest())).Service);

        Assert.Equal(app.GetEndpoint("web", "http"), app.PortalUrl);
        using var portal = new HttpClient();
        using var response = await portal.GetAsync(app.PortalUrl);
        Assert.True((int)response.StatusCode < 500, $"the portal answered {(int)response.StatusCode}");
    }

    [Fact]
    public async Task A_killed_service_is_restarted_and_healthy_while_the_others_never_go_down()
    {
        await using var app = await StartAsync();
        var retrieval = app.GetProject("retrieval").Instances[0];
        var killedPid = retrieval.ProcessId;
        var others = Services.Where(s => s != "retrieval").ToList();
        var pidsBefore = others.Select(s => app.GetProject(s).Instances[0].ProcessId).ToList();

        using var stopWatching = new CancellationTokenSource();
        var watchers = others.Select(s => HealthFailures.CountAsync(app.CreateHttpClient(s), TimeSpan.FromMilliseconds(100), stopWatching.Token)).ToList();
        retrieval.Kill();
        await app.WaitForRestartAsync(retrieval, killedPid);
        var health = await app.CreateHealthClient("retrieval").CheckAsync(new HealthCheckRequest());
        await stopWatching.CancelAsync();

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Equal(1, retrieval.Restarts);
        var failures = await Task.WhenAll(watchers);
        Assert.All(failures, count => Assert.Equal(0, count));
        Assert.Equal(pidsBefore, others.Select(s => app.GetProject(s).Instances[0].ProcessId));
    }

    [Fact]
    public async Task Calls_spread_over_two_agent_replicas_and_still_succeed_when_one_stops()
    {
        await using var app = await StartAsync(o => o.Replicas["agent"] = 2);
        var agent = app.CreateClient<AgentClient>("agent");

        var before = await InstancesAnsweringAsync(agent, calls: 10);
        await app.StopReplicaAsync("agent", 1);
        var after = await InstancesAnsweringAsync(agent, calls: 10);

        Assert.Equal(2, before.Distinct().Count());
        Assert.Equal(10, after.Count);
        Assert.Single(after.Distinct());
        Assert.Contains(after[0], before);
    }

    [Fact]
    public async Task Shutdown_leaves_no_service_process_and_no_postgres_running()
    {
        // No connection string: the AppHost's own embedded cluster, in a temporary state directory.
        var options = new AppHostTestOptions { Output = new TestOutputWriter(output) };
        try
        {
            var app = await DistributedApplicationTestingBuilder.StartAppHostAsync(options);
            var pids = Services.SelectMany(s => app.GetProject(s).Instances).Select(i => i.ProcessId!.Value).ToList();
            var postmaster = app.Application.GetResource<PostgresServerResource>("postgres").EmbeddedProcessId!.Value;
            var everything = pids.Concat(pids.SelectMany(ProcessTree.Descendants)).Append(postmaster)
                .Concat(ProcessTree.Descendants(postmaster)).ToList();

            Assert.Equal(0, await app.StopAsync());
            await app.DisposeAsync();

            Assert.All(everything, pid => Assert.True(ProcessTree.IsGone(pid), $"process {pid} is still running"));
        }
        finally
        {
            Directory.Delete(options.StateDirectory, recursive: true);
        }
    }

    private async Task<TestApplication> StartAsync(Action<AppHostTestOptions>? configure = null)
    {
        var cluster = await PostgresCluster.GetSharedAsync();
        var options = new AppHostTestOptions
        {
            ConnectionString = await cluster.CreateDatabaseAsync("apphost"),
            Output = new TestOutputWriter(output),
        };
        configure?.Invoke(options);
        return await DistributedApplicationTestingBuilder.StartAppHostAsync(options);
    }

    private static async Task<List<string>> InstancesAnsweringAsync(AgentClient agent, int calls)
    {
        var instances = new List<string>();
        for (var i = 0; i < calls; i++)
            instances.Add((await agent.GetServiceInfoAsync(new GetServiceInfoRequest())).Instance);
        return instances;
    }
}
