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

    public CpuSample Sample() => new(Process.GetCurrentProcess().TotalProcessorTime, ProcFs.PostgresCpu(postgresDataDirectory));
}

public sealed record CpuSample(TimeSpan Process, TimeSpan Postgres)
{
    public static CpuSample operator -(CpuSample a, CpuSample b) => new(a.Process - b.Process, a.Postgres - b.Postgres);
}
