using System.Globalization;
using Genie.AppHost.Hosting;

namespace Genie.AppHost.Dashboard;

internal static class ResourceFormat
{
    public static string Health(ResourceSnapshot s) => s.Healthy switch
    {
        true => "healthy",
        false => "unhealthy",
        null => "-",
    };

    public static string Memory(ResourceSnapshot s) =>
        s.ResidentBytes is { } bytes ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0} MiB") : "";

    public static string Seconds(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.0} s");

    /// <summary>One line per resource for plain output, e.g. "agent-1   Running  healthy  grpc http://… restarts 0".</summary>
    public static string Line(ResourceSnapshot s)
    {
        var urls = s.Urls.Count == 0 ? "" : " " + string.Join(' ', s.Urls);
        var restarts = s.Restarts > 0 ? $" restarts={s.Restarts}" : "";
        var pid = s.ProcessId is { } p ? $" pid={p}" : "";
        var detail = s.Detail is null ? "" : $" ({s.Detail})";
        return $"{s.Name,-12} {s.State,-10} {Health(s),-9}{urls}{pid}{restarts}{detail}";
    }

    /// <summary>What must change for a plain console to print the resource again.</summary>
    public static string Signature(ResourceSnapshot s) => $"{s.State}|{s.Healthy}|{s.Restarts}|{s.Detail}";
}
