using System.Globalization;

namespace Genie.Testing;

/// <summary>
/// What benchmarks read from Linux's /proc to put their figures in context: the load average, and the
/// CPU time processes spent (per-operation CPU stays comparable when other work disturbs latencies).
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
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name "(…)": state, ppid, …, utime (12th), stime (13th).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            parentId = int.Parse(fields[1], CultureInfo.InvariantCulture);
            cpu = TimeSpan.FromSeconds((long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / ClockTicksPerSecond);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return false; // the process ended while being read
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
