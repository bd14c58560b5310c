using System.Diagnostics;
using System.Runtime.InteropServices;
using Genie.AppHost.Dashboard;
using Genie.AppHost.Projects;
using Microsoft.Extensions.Configuration;

namespace Genie.AppHost.Hosting;

/// <summary>
/// The built app model, run like Aspire's: every resource starts once what it waits for is ready,
/// the resource table shows them live, and Ctrl-C (SIGINT) or SIGTERM stops them in reverse
/// dependency order — projects first, PostgreSQL last.
/// </summary>
public sealed class DistributedApplication
{
    private readonly DistributedApplicationBuilder _builder;

    internal DistributedApplication(DistributedApplicationBuilder builder)
    {
        _builder = builder;
        foreach (var project in Resources.OfType<ProjectResource>())
            project.AllocateEndpoints();
    }

    public static DistributedApplicationBuilder CreateBuilder(string[] args) => new(args, AppHostTestHook.Current);

    public IReadOnlyList<Resource> Resources => _builder.Resources;

    public IConfiguration Configuration => _builder.Configuration;

    public string StateDirectory => _builder.StateDirectory;

    /// <summary>Completes once every resource has been ready (all instances healthy) at least once.</summary>
    public Task AllReady => Task.WhenAll(Resources.Select(r => r.Ready));

    /// <summary>How long after the start every resource was healthy, once that happened.</summary>
    public TimeSpan? TimeToAllHealthy { get; private set; }

    public T GetResource<T>(string name) where T : Resource =>
        Resources.OfType<T>().FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new InvalidOperationException($"The app model has no {typeof(T).Name} named '{name}'.");

    /// <summary>Runs until Ctrl-C or SIGTERM and returns the process exit code (non-zero when a resource could not start).</summary>
    public async Task<int> RunAsync()
    {
        if (_builder.TestHook is { } hook)
            return await hook.RunAsync(this);

        using var stopping = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopping.Cancel();
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop);
        var startedAt = new DateTimeOffset(Process.GetCurrentProcess().StartTime);
        return await RunAsync(AppHostConsole.Create(Configuration), startedAt, stopping.Token);
    }

    internal async Task<int> RunAsync(IAppHostConsole console, DateTimeOffset startedAt, CancellationToken stopping)
    {
        if (_builder.Problems.Count > 0)
        {
            foreach (var problem in _builder.Problems)
                console.Error(problem);
            return 2;
        }
        var run = new AppRun(Configuration, StateDirectory, console, startedAt);
        Directory.CreateDirectory(run.LogsDirectory);
        AppHostException? fatal = null;
        using var failedOrStopping = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        void Fail(AppHostException error)
        {
            Interlocked.CompareExchange(ref fatal, error, null);
            failedOrStopping.Cancel();
        }

        var starts = Resources.Select(r => StartWhenReadyAsync(r, run, Fail, failedOrStopping.Token)).ToList();
        _ = AllReady.ContinueWith(_ => TimeToAllHealthy = DateTimeOffset.Now - startedAt, TaskContinuationOptions.OnlyOnRanToCompletion);

        // Infrastructure first: its progress bars (model pulls) cannot share the terminal with the live table.
        var infrastructure = Task.WhenAll(Resources.Where(r => r is not ProjectResource).Select(r => r.Ready));
        await Task.WhenAny(infrastructure, Task.Delay(Timeout.Infinite, failedOrStopping.Token));

        using var dashboardStop = new CancellationTokenSource();
        var dashboard = failedOrStopping.IsCancellationRequested ? Task.CompletedTask : console.ShowResourcesAsync(this, dashboardStop.Token);
        await WhenCancelledAsync(failedOrStopping.Token);
        await Task.WhenAll(starts);
        await StopAllAsync(run);
        await dashboardStop.CancelAsync();
        await dashboard;

        if (fatal is not null)
        {
            console.Error(fatal.Message);
            return 1;
        }
        console.Info("Stopped every resource.");
        return 0;
    }

    private static async Task StartWhenReadyAsync(Resource resource, AppRun run, Action<AppHostException> fail, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(resource.WaitsFor.Select(d => d.Ready)).WaitAsync(cancellationToken);
            await resource.StartAsync(run, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (AppHostException e)
        {
            resource.MarkFailed(e);
            fail(e);
        }
        catch (Exception e)
        {
            run.LogException($"{resource.Name} failed to start", e);
            resource.MarkFailed(e);
            fail(new AppHostException($"{resource.Name} failed to start: {e.Message} (details in {Path.Combine(run.LogsDirectory, "apphost.log")})", e));
        }
    }

    /// <summary>Dependents before what they depend on, so no service sees its database vanish while it still runs.</summary>
    private async Task StopAllAsync(AppRun run)
    {
        foreach (var level in Resources.GroupBy(Depth).OrderByDescending(g => g.Key))
            await Task.WhenAll(level.Select(async resource =>
            {
                try
                {
                    await resource.StopAsync();
                }
                catch (Exception e)
                {
                    run.LogException($"stopping {resource.Name}", e);
                    run.Console.Warn($"{resource.Name} did not stop cleanly: {e.Message}");
                }
            }));
    }

    private static int Depth(Resource resource) => resource.WaitsFor.Count == 0 ? 0 : 1 + resource.WaitsFor.Max(Depth);

    private static async Task WhenCancelledAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
