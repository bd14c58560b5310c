using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Genie.AppHost.Setup;

/// <summary>
/// A problem the user has to fix before Genie can run (PostgreSQL or pgvector missing, the configured
/// server unreachable): printed once as one <c>error:</c> line that says what to do, never with a
/// stack trace; the AppHost then stops everything it started and exits with code 1.
/// </summary>
public sealed class SetupFailures(IServiceProvider services)
{
    private string? _message;

    /// <summary>The first problem reported, or null.</summary>
    public string? Message => _message;

    public int ExitCode => _message is null ? 0 : 1;

    public void Report(string message)
    {
        if (Interlocked.CompareExchange(ref _message, message, null) is not null)
            return;
        Console.Error.WriteLine($"error: {message}");
        // Stopping while the host is still starting fails the start with a stack trace: stop once it has started.
        var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
        lifetime.ApplicationStarted.Register(lifetime.StopApplication);
    }
}

public static class SetupFailureExtensions
{
    /// <summary>Runs the app; the exit code is 1 when a setup problem stopped it.</summary>
    public static async Task<int> RunGenieAsync(this DistributedApplication app)
    {
        await app.RunAsync();
        return app.Services.GetRequiredService<SetupFailures>().ExitCode;
    }
}
