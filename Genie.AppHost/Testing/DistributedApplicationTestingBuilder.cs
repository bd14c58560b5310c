using Genie.AppHost.Dashboard;
using Genie.AppHost.Hosting;

namespace Genie.AppHost.Testing;

/// <summary>
/// Starts the app model from a test, like <c>Aspire.Hosting.Testing</c>: the services run as real
/// child processes on free ports; the returned <see cref="TestApplication"/> is ready (every
/// resource healthy), gives URLs and gRPC clients, and stops everything when disposed.
/// </summary>
public static class DistributedApplicationTestingBuilder
{
    /// <summary>Runs Genie.AppHost's Program.cs — the real app model — inside the test process.</summary>
    public static async Task<TestApplication> StartAppHostAsync(AppHostTestOptions? options = null)
    {
        options ??= new AppHostTestOptions();
        var (hook, output) = CreateHook(options);
        var entryPoint = typeof(DistributedApplication).Assembly.EntryPoint
            ?? throw new InvalidOperationException("Genie.AppHost has no entry point.");

        AppHostTestHook.Install(hook); // flows into the thread below with the execution context
        var run = Task.Factory.StartNew(
            () => (int)entryPoint.Invoke(null, [Array.Empty<string>()])!,
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        AppHostTestHook.Install(null);

        await Task.WhenAny(hook.Running, run);
        if (!hook.Running.IsCompleted)
            throw new AppHostStartException($"Program.cs ended before running the app model (exit code {await run}).", output.Text);
        return await TestApplication.WhenReadyAsync(await hook.Running, hook, run, output, hook.StartTimeout);
    }

    /// <summary>A builder for an app model of the test's own (tests of the hosting itself).</summary>
    public static DistributedApplicationBuilder CreateBuilder(AppHostTestOptions? options = null)
    {
        var (hook, _) = CreateHook(options ?? new AppHostTestOptions());
        return new DistributedApplicationBuilder([], hook);
    }

    /// <summary>Builds and starts a model made with <see cref="CreateBuilder"/>; returns once every resource is healthy.</summary>
    public static Task<TestApplication> StartAsync(this DistributedApplicationBuilder builder)
    {
        var hook = builder.TestHook ?? throw new InvalidOperationException("Use DistributedApplicationTestingBuilder.CreateBuilder for test models.");
        var app = builder.Build();
        var run = Task.Run(app.RunAsync);
        return TestApplication.WhenReadyAsync(app, hook, run, hook.Output, hook.StartTimeout);
    }

    private static (AppHostTestHook Hook, RecordingWriter Output) CreateHook(AppHostTestOptions options)
    {
        var output = new RecordingWriter(options.Output);
        return (new AppHostTestHook(options.ToConfiguration(), new PlainConsole(output), output, options.StartTimeout), output);
    }
}

/// <summary>The app model did not come up; the message holds what the AppHost printed.</summary>
public sealed class AppHostStartException(string message, string output)
    : Exception($"{message}{Environment.NewLine}AppHost output:{Environment.NewLine}{output}")
{
    public string Output { get; } = output;
}
