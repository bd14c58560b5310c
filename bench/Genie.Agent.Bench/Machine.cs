using System.Diagnostics;
using Genie.Testing;

namespace Genie.Agent.Bench;

/// <summary>
/// What the machine was doing while a measurement ran: core count, load average, and the CPU time the
/// benchmark process (Agent, Retrieval and the client all run in it) and the PostgreSQL cluster spent.
/// CPU per chat stays comparable when other work on a shared machine disturbs the latencies.
/// </summary>
public sealed class Machine(string postgresDataDirectory)
{
    public static string LoadAverage => ProcFs.LoadAverage;

    public CpuSample Sample() => new(Process.GetCurrentProcess().TotalProcessorTime, PostgresCpu());

    /// <summary>User + system time of the postmaster and its backends (connections are pooled, so backends live on).</summary>
    private TimeSpan PostgresCpu()
    {
        var pidFile = Path.Combine(postgresDataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadLines(pidFile).First(), out var postmaster)) return TimeSpan.Zero;
        var total = TimeSpan.Zero;
        foreach (var pid in ProcFs.ProcessIds())
        {
            if (ProcFs.TryReadProcess(pid, out var parent, out var cpu) && (pid == postmaster || parent == postmaster))
                total += cpu;
        }
        return total;
    }
}

public sealed record CpuSample(TimeSpan Process, TimeSpan Postgres)
{
    public static CpuSample operator -(CpuSample a, CpuSample b) => new(a.Process - b.Process, a.Postgres - b.Postgres);
}
