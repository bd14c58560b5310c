using System.Reflection;

namespace Genie.ServiceDefaults.Hosting;

/// <summary>Which service this process is, for telemetry, logs and the ServiceInfo rpc.</summary>
public sealed record ServiceIdentity(string Name, string Version, string Instance, DateTimeOffset StartedAt)
{
    public static ServiceIdentity For(string name, Assembly entryAssembly) => new(
        name,
        entryAssembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0]
            ?? entryAssembly.GetName().Version?.ToString() ?? "0.0.0",
        $"{Environment.MachineName}:{Environment.ProcessId}",
        DateTimeOffset.UtcNow);
}
