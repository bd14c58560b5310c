using System.Globalization;

namespace Genie.Testing;

/// <summary>
/// What benchmarks and process tests read from Linux's /proc: the load average, the CPU time processes spent
/// (per-operation CPU stays comparable when other work disturbs latencies), parents, children and environments.
/// </summary>
public static class ProcFs
{
    private const double ClockTicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>The 1, 5 and 15 minute load averages, or "n/a" off Linux.</summary>
    public static string LoadAverage =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>The ids of the running processes, or none off Linux.</summary>
    public static IEnumerable<int> ProcessIds() =>
        Directory.Exists("/proc")
            ? Directory.EnumerateDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0).Where(pid => pid > 0)
            : [];

    /// <summary>A process's parent and its user + system CPU time; false when it is gone or cannot be read.</summary>
    public static bool TryReadProcess(int pid, out int parentId, out TimeSpan cpu)
    {
        (parentId, cpu) = (0, TimeSpan.Zero);
        if (Stat(pid) is not { } fields) return false; // the process ended while being read
        parentId = int.Parse(fields[1], CultureInfo.InvariantCulture);
        cpu = TimeSpan.FromSeconds((long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / ClockTicksPerSecond);
        return true;
    }

    /// <summary>The processes whose parent is <paramref name="pid"/>.</summary>
    public static IEnumerable<int> Children(int pid) =>
        ProcessIds().Where(child => TryReadProcess(child, out var parent, out _) && parent == pid);

    /// <summary>True when the process has ended (gone, or a zombie waiting for its parent).</summary>
    public static bool IsGone(int pid) => Stat(pid) is not { } fields || fields[0] == "Z";

    /// <summary>A process's environment variables (the last value of a repeated name wins).</summary>
    public static IReadOnlyDictionary<string, string> Environment(int pid) =>
        File.ReadAllText($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Split('=', 2))
            .Where(e => e.Length == 2)
            .GroupBy(e => e[0])
            .ToDictionary(g => g.Key, g => g.Last()[1]);

    /// <summary>The fields of /proc/pid/stat after the command name "(…)": state, ppid, …, utime (12th), stime (13th).</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 12 ? fields : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// User + system CPU time of the PostgreSQL cluster in <paramref name="dataDirectory"/>: its postmaster and the
    /// backends it started (pooled connections keep their backends alive); zero when the cluster is not running.
    /// </summary>
    public static TimeSpan PostgresCpu(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadLines(pidFile).First(), out var postmaster)) return TimeSpan.Zero;
        var total = TimeSpan.Zero;
        foreach (var pid in ProcessIds())
        {
            if (TryReadProcess(pid, out var parent, out var cpu) && (pid == postmaster || parent == postmaster))
                total += cpu;
        }
        return total;
    }
}
