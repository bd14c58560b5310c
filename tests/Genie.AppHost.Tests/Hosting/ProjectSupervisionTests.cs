using Genie.AppHost.Projects;
using Genie.AppHost.Testing;
using Genie.AppHost.Tests.FakeService;

namespace Genie.AppHost.Tests.Hosting;

public sealed class ProjectSupervisionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task References_give_every_replica_endpoint_in_aspire_variables()
    {
        var builder = DistributedApplicationTestingBuilder.CreateBuilder(Options(o => o.Replicas["api"] = 2));
        var api = builder.AddFakeService("api");
        builder.AddFakeService("client").WithReference(api).WaitFor(api).WithEnvironment("GREETING", "hello");
        await using var app = await builder.StartAsync();

        var environment = await app.CreateHttpClient("client").GetStringAsync("/env");
        var lines = environment.Split('\n');
        Assert.Contains($"services__api__grpc__0={Trim(app.GetEndpoint("api", "grpc", 0))}", lines);
        Assert.Contains($"services__api__grpc__1={Trim(app.GetEndpoint("api", "grpc", 1))}", lines);
        Assert.Contains($"services__api__http__1={Trim(app.GetEndpoint("api", "http", 1))}", lines);
        Assert.Contains("OTEL_SERVICE_NAME=client", lines);
        Assert.Contains($"Kestrel__Endpoints__grpc__Url={Trim(app.GetEndpoint("client", "grpc"))}", lines);
        Assert.Contains("Kestrel__Endpoints__grpc__Protocols=Http2", lines);
        Assert.Contains("GREETING=hello", lines);

        var replicaPids = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => app.CreateHttpClient("api", i).GetStringAsync("/pid")));
        Assert.Equal(2, replicaPids.Distinct().Count());
        Assert.Equal(["api-0", "api-1"], app.GetProject("api").Instances.Select(i => i.Name));
        Assert.True(File.Exists(Path.Combine(app.StateDirectory, "logs", "api-1.log")));
    }

    [Fact]
    public async Task A_killed_process_is_restarted_while_the_others_stay_up()
    {
        var builder = DistributedApplicationTestingBuilder.CreateBuilder(Options());
        builder.AddFakeService("victim");
        builder.AddFakeService("bystander");
        await using var app = await builder.StartAsync();
        var victim = app.GetProject("victim").Instances[0];
        var bystander = app.GetProject("bystander").Instances[0];
        var (victimPid, bystanderPid) = (victim.ProcessId, bystander.ProcessId);

        using var stopWatching = new CancellationTokenSource();
        var bystanderFailures = HealthFailures.CountAsync(app.CreateHttpClient("bystander"), TimeSpan.FromMilliseconds(50), stopWatching.Token);
        victim.Kill();
        await FakeModel.EventuallyAsync(() => Task.FromResult((victim.Restarts, victim.Healthy, victim.ProcessId)),
            v => v.Restarts == 1 && v.Healthy && v.ProcessId != victimPid, TimeSpan.FromMinutes(1), "the victim to come back");
        await stopWatching.CancelAsync();

        Assert.Equal(0, await bystanderFailures);
        Assert.Equal(bystanderPid, bystander.ProcessId);
        Assert.Equal(0, bystander.Restarts);
        Assert.Contains("victim exited with code", app.Output);
    }

    [Fact]
    public async Task A_project_failing_at_start_is_reported_with_the_tail_of_its_log()
    {
        var builder = DistributedApplicationTestingBuilder.CreateBuilder(Options(o => o.StartTimeout = TimeSpan.FromSeconds(6)));
        builder.AddFakeService("flaky").WithEnvironment("FAKE_EXIT_CODE", "3");

        var error = await Assert.ThrowsAsync<AppHostStartException>(builder.StartAsync);

        Assert.Contains("flaky exited with code 3; restarting in 1 s", error.Output);
        Assert.Contains("| fake service: failing on purpose at start", error.Output);
        Assert.Contains("fake service: failing on purpose at start", error.Message);
    }

    [Fact]
    public async Task Stopping_leaves_no_process_of_any_project_behind()
    {
        var builder = DistributedApplicationTestingBuilder.CreateBuilder(Options(o => o.Replicas["parent"] = 2));
        builder.AddFakeService("parent").WithEnvironment("FAKE_SPAWN_CHILD", "1");
        var app = await builder.StartAsync();
        var pids = app.GetProject("parent").Instances.Select(i => i.ProcessId!.Value).ToList();
        var all = pids.Concat(pids.SelectMany(ProcessTree.Descendants)).ToList();
        Assert.True(all.Count >= 4, $"expected two services each with a child, found {all.Count} processes");

        Assert.Equal(0, await app.StopAsync());
        await app.DisposeAsync();

        Assert.All(all, pid => Assert.True(ProcessTree.IsGone(pid), $"process {pid} is still running"));
    }

    private AppHostTestOptions Options(Action<AppHostTestOptions>? configure = null)
    {
        var options = new AppHostTestOptions { Output = new TestOutputWriter(output) };
        configure?.Invoke(options);
        return options;
    }

    private static string Trim(Uri uri) => uri.ToString().TrimEnd('/');
}
