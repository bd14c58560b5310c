using Microsoft.Extensions.Configuration;
using Spectre.Console;

namespace Genie.AppHost.Dashboard;

internal static class AppHostConsole
{
    /// <summary>The live table on an interactive terminal; plain lines when output is redirected, in CI, or with Genie:AppHost:Plain=true.</summary>
    public static IAppHostConsole Create(IConfiguration configuration)
    {
        var plain = configuration.GetValue<bool>("Genie:AppHost:Plain")
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
            || Console.IsOutputRedirected
            || !AnsiConsole.Profile.Capabilities.Interactive;
        return plain ? new PlainConsole(Console.Out) : new LiveConsole();
    }
}
