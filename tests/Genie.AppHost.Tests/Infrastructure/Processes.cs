using System.Globalization;

namespace Genie.AppHost.Tests.Infrastructure;

/// <summary>What /proc says about a replica's processes (DCP runs a project as `dotnet run`, the service as its child).</summary>
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
        return Children(launcher).DefaultIfEmpty(launcher).First();
    }

    public static IEnumerable<int> Children(int pid) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var p) ? p : 0)
            .Where(p => p > 0 && ParentOf(p) == pid);

    public static bool IsGone(int pid) => !Directory.Exists($"/proc/{pid}") || State(pid) == 'Z';

    public static IReadOnlyDictionary<string, string> Environment(int pid) =>
        File.ReadAllText($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Split('=', 2))
            .Where(e => e.Length == 2)
            .GroupBy(e => e[0])
            .ToDictionary(g => g.Key, g => g.Last()[1]);

    private static int? ParentOf(int pid) => Stat(pid) is { } fields && int.TryParse(fields[1], out var ppid) ? ppid : null;

    private static char? State(int pid) => Stat(pid) is { } fields ? fields[0][0] : null;

    /// <summary>The fields of /proc/pid/stat after the command name: state, ppid, …</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
