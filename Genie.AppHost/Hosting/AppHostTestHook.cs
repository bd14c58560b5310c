using Genie.AppHost.Dashboard;
using Genie.AppHost.Testing;

namespace Genie.AppHost.Hosting;

/// <summary>
/// Lets the testing builder run Program.cs unchanged: configuration laid over the builder's, a
/// quiet console, and a stop token instead of signals. Flows to the entry point through an
/// <see cref="AsyncLocal{T}"/>, so parallel tests each see their own.
/// </summary>
internal sealed class AppHostTestHook(Dictionary<string, string?> configuration, IAppHostConsole console, RecordingWriter output, TimeSpan startTimeout)
{
    private static readonly AsyncLocal<AppHostTestHook?> Installed = new();
    private readonly TaskCompletionSource<DistributedApplication> _running = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static AppHostTestHook? Current => Installed.Value;

    public Dictionary<string, string?> Configuration { get; } = configuration;

    public CancellationTokenSource Stopping { get; } = new();

    public RecordingWriter Output { get; } = output;

    public TimeSpan StartTimeout { get; } = startTimeout;

    /// <summary>The application, once Program.cs has built it and called RunAsync.</summary>
    public Task<DistributedApplication> Running => _running.Task;

    public static void Install(AppHostTestHook? hook) => Installed.Value = hook;

    public Task<int> RunAsync(DistributedApplication app)
    {
        _running.TrySetResult(app);
        return app.RunAsync(console, DateTimeOffset.Now, Stopping.Token);
    }
}
