using System.Diagnostics;

namespace Genie.Transport.Bench;

public sealed record LoadResult(int Callers, long Calls, long Errors, double CallsPerSecond, double P50Micros, double P95Micros, double P99Micros, double ServerCpuMicrosPerCall);

/// <summary>Closed-loop load: N callers each issue the next call as soon as the previous one returns.</summary>
public static class LoadRunner
{
    public static async Task<LoadResult> RunAsync(Func<Task> call, Func<TimeSpan> serverCpu, int callers, TimeSpan warmup, TimeSpan duration)
    {
        await RunPhaseAsync(call, callers, warmup, record: false);
        var cpuBefore = serverCpu();
        var started = Stopwatch.GetTimestamp();
        var perCaller = await RunPhaseAsync(call, callers, duration, record: true);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpu = serverCpu() - cpuBefore;

        var latencies = perCaller.SelectMany(p => p.Latencies).ToArray();
        Array.Sort(latencies);
        var errors = perCaller.Sum(p => p.Errors);
        return new LoadResult(callers, latencies.Length, errors, latencies.Length / elapsed.TotalSeconds,
            Percentile(latencies, 0.50), Percentile(latencies, 0.95), Percentile(latencies, 0.99), cpu.TotalMicroseconds / Math.Max(1, latencies.Length));
    }

    private static async Task<CallerRecord[]> RunPhaseAsync(Func<Task> call, int callers, TimeSpan length, bool record)
    {
        var end = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            var result = new CallerRecord();
            while (true)
            {
                var start = Stopwatch.GetTimestamp();
                if (start >= end)
                    return result;
                try
                {
                    await call().ConfigureAwait(false);
                    if (record)
                        result.Latencies.Add(Stopwatch.GetTimestamp() - start);
                }
                catch (Exception) when (record)
                {
                    result.Errors++;
                }
            }
        }));
        return await Task.WhenAll(workers);
    }

    private static double Percentile(long[] sorted, double p)
    {
        if (sorted.Length == 0)
            return double.NaN;
        var index = (int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1);
        return sorted[Math.Max(0, index)] * 1_000_000.0 / Stopwatch.Frequency;
    }

    private sealed class CallerRecord
    {
        public List<long> Latencies { get; } = new(64 * 1024);
        public long Errors;
    }
}
