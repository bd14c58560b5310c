using System.Diagnostics;
using System.Globalization;

namespace Genie.Agent.Bench;

/// <summary>
/// What the machine was doing while a measurement ran: core count, load average, and the CPU time the
/// benchmark process (Agent, Retrieval and the client all run in it) and the PostgreSQL cluster spent.
/// CPU per chat stays comparable when other work on a shared machine disturbs the latencies.
/// </summary>
public sealed class Machine(string postgresDataDirectory)
{
    private const double ClockTicksPerSecond = 100; // USER_HZ on Linux

    public static string LoadAverage =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    public CpuSample Sample() => new(Process.GetCurrentProcess().TotalProcessorTime, PostgresCpu());

    /// <summary>User + system time of the postmaster and its backends (connections are pooled, so backends live on).</summary>
    private TimeSpan PostgresCpu()
    {
        var pidFile = Path.Combine(postgresDataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadLines(pidFile).First(), out var postmaster)) return TimeSpan.Zero;
        double ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // Fields after the command name "(…)": state ppid … utime(14) stime(15), counted from 1 over the whole line.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ppid = int.Parse(fields[1], CultureInfo.InvariantCulture);
                if (pid != postmaster && ppid != postmaster) continue;
                ticks += double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                // The process ended while being read.
            }
        }
        return TimeSpan.FromSeconds(ticks / ClockTicksPerSecond);
    }
}

public sealed record CpuSample(TimeSpan Process, TimeSpan Postgres)
{
    public static CpuSample operator -(CpuSample a, CpuSample b) => new(a.Process - b.Process, a.Postgres - b.Postgres);
}
