using System.Globalization;
using Genie.Testing;

namespace Genie.AppHost.Tests.Infrastructure;

/// <summary>A replica's processes: DCP runs a project as `dotnet run`, the service as its child.</summary>
internal static class Processes
{
    public static int Pid(ResourceEvent replica) =>
        replica.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value
            ? Convert.ToInt32(value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"{replica.ResourceId} has no process id yet");

    /// <summary>The service process itself: the child of the `dotnet run` process DCP started.</summary>
    public static int ServicePid(ResourceEvent replica)
    {
        var launcher = Pid(replica);
        return ProcFs.Children(launcher).DefaultIfEmpty(launcher).First();
    }
}
