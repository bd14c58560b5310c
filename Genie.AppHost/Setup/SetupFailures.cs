using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Genie.AppHost.Setup;

/// <summary>
/// A problem the user has to fix before Genie can run (PostgreSQL or pgvector missing, the configured
/// server unreachable): printed once as one <c>error:</c> line that says what to do, never with a
/// stack trace; the AppHost then stops everything it started and exits with code 1.
/// </summary>
public sealed class SetupFailures
{
    private string? _message;

    /// <summary>The first problem reported, or null.</summary>
    public string? Message => _message;

    public int ExitCode => _message is null ? 0 : 1;

    public void Report(IServiceProvider services, string message)
    {
        if (Interlocked.CompareExchange(ref _message, message, null) is not null)
            return;
        Console.Error.WriteLine($"error: {message}");
        services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
    }
}

public static class SetupFailureExtensions
{
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    /// <summary>Registers <see cref="SetupFailures"/>; once one is reported, the host's "failed to start" (a cancellation) is not logged.</summary>
    public static IDistributedApplicationBuilder AddSetupFailures(this IDistributedApplicationBuilder builder)
    {
        var failures = new SetupFailures();
        builder.Services.AddSingleton(failures);
        builder.Services.AddLogging(logging => logging.AddFilter(HostCategory, level => level >= LogLevel.Information && (level < LogLevel.Error || failures.ExitCode == 0)));
        return builder;
    }

    /// <summary>Runs the app; the exit code is 1 when a setup problem stopped it.</summary>
    public static async Task<int> RunGenieAsync(this DistributedApplication app)
    {
        var failures = app.Services.GetRequiredService<SetupFailures>();
        try
        {
            await app.RunAsync();
        }
        catch (OperationCanceledException) when (failures.ExitCode != 0)
        {
            // Stopped while starting, because of the problem already reported.
        }
        return failures.ExitCode;
    }
}
