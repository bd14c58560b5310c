using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Genie.AppHost.Tests.FakeService;

/// <summary>
/// `dotnet Genie.AppHost.Tests.dll fake-service`: a tiny service configured the way the AppHost
/// configures ours (Kestrel__Endpoints__{grpc,http}__Url …) that serves /health, /alive, /env and /pid.
/// FAKE_EXIT_CODE makes it fail at start; FAKE_SPAWN_CHILD makes it start a child process (to prove
/// process trees are stopped).
/// </summary>
public static class FakeServiceMain
{
    public const string Argument = "fake-service";

    public static string AssemblyPath => typeof(FakeServiceMain).Assembly.Location;

    public static int Main(string[] args)
    {
        if (args is not [Argument, ..])
        {
            Console.Error.WriteLine($"Run the tests with dotnet test; this entry point only serves '{Argument}'.");
            return 2;
        }
        if (Environment.GetEnvironmentVariable("FAKE_EXIT_CODE") is { } exitCode)
        {
            Console.WriteLine("fake service: failing on purpose at start");
            return int.Parse(exitCode, System.Globalization.CultureInfo.InvariantCulture);
        }
        if (Environment.GetEnvironmentVariable("FAKE_SPAWN_CHILD") == "1")
            Process.Start("sleep", "600");

        var builder = WebApplication.CreateBuilder(args);
        var app = builder.Build();
        app.MapGet("/health", () => "Healthy");
        app.MapGet("/alive", () => "Healthy");
        app.MapGet("/pid", () => Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        app.MapGet("/env", () => string.Join('\n', Environment.GetEnvironmentVariables().Keys.Cast<string>().Order()
            .Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}")));
        Console.WriteLine($"fake service {Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME")} started");
        app.Run();
        return 0;
    }
}
