using System.Diagnostics;
using Genie.AppHost.Hosting;

namespace Genie.AppHost.Projects;

/// <summary>
/// One running copy of a project: its ports, its process, restarted with backoff when it exits
/// unexpectedly, and its health polled on the HTTP endpoint.
/// </summary>
public sealed class ProjectInstance
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);
    private const string SetSid = "/usr/bin/setsid";
    private readonly ProjectResource _resource;
    private readonly TaskCompletionSource _firstHealthy = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private Task _supervisor = Task.CompletedTask;
    private volatile Process? _process;
    private volatile bool _healthy;

    internal ProjectInstance(ProjectResource resource, int index, int grpcPort, int httpPort)
    {
        _resource = resource;
        Index = index;
        GrpcEndpoint = new Uri($"http://127.0.0.1:{grpcPort}");
        HttpEndpoint = new Uri($"http://127.0.0.1:{httpPort}");
    }

    public int Index { get; }

    /// <summary>"agent" for a single instance, "agent-0", "agent-1" … for replicas.</summary>
    public string Name => _resource.Replicas == 1 ? _resource.Name : $"{_resource.Name}-{Index}";

    public string ServiceName => _resource.Name;

    public Uri GrpcEndpoint { get; }

    public Uri HttpEndpoint { get; }

    public ResourceState State { get; private set; } = ResourceState.NotStarted;

    public bool Healthy => _healthy;

    public int Restarts { get; private set; }

    /// <summary>Process id of the current process, or null while none runs.</summary>
    public int? ProcessId => _process is { } p && !HasExited(p) ? p.Id : null;

    public Task FirstHealthy => _firstHealthy.Task;

    internal string LogPath { get; private set; } = "";

    /// <summary>Starts supervising; <paramref name="appStopping"/> ends restarts as soon as the whole app is stopping.</summary>
    internal void Start(IReadOnlyDictionary<string, string> environment, AppRun run, CancellationToken appStopping)
    {
        LogPath = Path.Combine(run.LogsDirectory, Name + ".log");
        var pidFile = new PidFile(Path.Combine(run.StateDirectory, "run", Name + ".pid"), _resource.AssemblyPath);
        var stopping = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, appStopping);
        _supervisor = Task.Run(async () =>
        {
            using (stopping)
                await SuperviseAsync(environment, run, pidFile, stopping.Token);
        });
    }

    /// <summary>Kills the process tree abruptly, as a crash would (tests use it to prove restarts).</summary>
    public void Kill()
    {
        if (_process is { } process && !HasExited(process))
            process.Kill(entireProcessTree: true);
    }

    /// <summary>Stops this instance for good: SIGTERM, then SIGKILL of the whole tree after a grace period.</summary>
    public async Task StopAsync()
    {
        State = ResourceState.Stopping;
        var process = _process;
        await _stopping.CancelAsync();
        if (process is not null)
            await ProcessTree.TerminateAsync(process, StopGrace);
        await _supervisor;
        process?.Dispose();
        _healthy = false;
        State = ResourceState.Stopped;
    }

    internal ResourceSnapshot Snapshot() => new(
        Name, "project", State, [$"grpc {GrpcEndpoint}", $"http {HttpEndpoint}"],
        State is ResourceState.NotStarted or ResourceState.Stopped ? null : _healthy,
        Restarts, ProcessId, ProcessId is { } pid ? ProcessTree.ResidentBytes(pid) : null);

    private async Task SuperviseAsync(IReadOnlyDictionary<string, string> environment, AppRun run, PidFile pidFile, CancellationToken stopping)
    {
        await pidFile.StopLeftoverAsync();
        using var log = new LogFile(LogPath);
        var backoff = new RestartBackoff();
        while (!stopping.IsCancellationRequested)
        {
            State = ResourceState.Starting;
            var startedAt = Stopwatch.StartNew();
            var process = Launch(environment, log);
            pidFile.Record(process.Id);
            using var running = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var health = WatchHealthAsync(running.Token);
            try
            {
                await ExitedAsync(process, stopping);
            }
            catch (OperationCanceledException)
            {
                // StopAsync terminates the process tree; keep logging until its output ends.
                await process.WaitForExitAsync(CancellationToken.None);
                pidFile.Remove();
                break;
            }
            finally
            {
                await running.CancelAsync();
                await health;
                _healthy = false;
            }

            State = ResourceState.Restarting;
            var delay = backoff.Next(startedAt.Elapsed);
            log.WriteLine($"----- {DateTimeOffset.Now:u} exited with code {process.ExitCode}; restarting in {delay.TotalSeconds:0} s -----");
            run.Console.ReportFailure(Name, $"exited with code {process.ExitCode}; restarting in {delay.TotalSeconds:0} s (log: {LogPath})", log.Tail(15));
            try
            {
                await Task.Delay(delay, stopping);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            process.Dispose();
            Restarts++;
        }
    }

    private Process Launch(IReadOnlyDictionary<string, string> environment, LogFile log)
    {
        // Its own session: a terminal's Ctrl-C reaches only the AppHost, which stops services in order.
        var start = new ProcessStartInfo(File.Exists(SetSid) ? SetSid : DotnetHost.Path)
        {
            WorkingDirectory = _resource.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (start.FileName == SetSid)
            start.ArgumentList.Add(DotnetHost.Path);
        start.ArgumentList.Add(_resource.AssemblyPath);
        foreach (var argument in _resource.Arguments)
            start.ArgumentList.Add(argument);
        ServiceEnvironment.Apply(start.Environment, environment, this);

        log.WriteLine($"----- {DateTimeOffset.Now:u} starting {Name}: {start.FileName} {string.Join(' ', start.ArgumentList)} -----");
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => log.WriteLine(e.Data);
        process.ErrorDataReceived += (_, e) => log.WriteLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        return process;
    }

    private async Task WatchHealthAsync(CancellationToken cancellationToken)
    {
        var wasHealthy = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            var healthy = await HealthProbe.IsHealthyAsync(HttpEndpoint, cancellationToken);
            if (cancellationToken.IsCancellationRequested)
                return;
            _healthy = healthy;
            wasHealthy |= healthy;
            State = healthy ? ResourceState.Running : wasHealthy ? ResourceState.Unhealthy : ResourceState.Starting;
            if (healthy)
                _firstHealthy.TrySetResult();
            try
            {
                await Task.Delay(healthy ? TimeSpan.FromSeconds(2) : TimeSpan.FromMilliseconds(200), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Completes when the process exits. Unlike WaitForExitAsync it does not also wait for the end of
    /// its redirected output, which a surviving grandchild holding the pipe would postpone forever.
    /// </summary>
    private static async Task ExitedAsync(Process process, CancellationToken cancellationToken)
    {
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.Exited += (_, _) => exited.TrySetResult();
        if (HasExited(process))
            return;
        await exited.Task.WaitAsync(cancellationToken);
    }

    private static bool HasExited(Process process)
    {
        try
        {
            return process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}
