using System.Runtime.InteropServices;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Grpc.Client;
using Genie.Test.V1;
using Genie.Testing;

namespace Genie.Transport.Bench;

/// <summary>
/// Unary Echo round trips from our GrpcChannel to our server and to a @grpc/grpc-js server, both in child
/// processes on loopback, interleaved per concurrency level so background load hits both alike.
/// </summary>
public static class Benchmark
{
    public static async Task<int> RunAsync(BenchSettings settings)
    {
        var signingKey = AuthOptions.GenerateKey();
        var tokens = new TokenService(new AuthOptions { SigningKey = AuthOptions.DecodeKey(signingKey) });
        // Both servers receive the same token; ours validates it (as production does), grpc-js ignores it.
        var token = tokens.Issue("bench", "bench@example.test", "bench", Roles.Service, TimeSpan.FromHours(1));
        var request = new EchoRequest { Text = settings.Text };
        var path = "/genie.test.v1.EchoService/" + settings.Method;

        await using var ours = await PeerProcess.StartAsync(Peers.Ours(signingKey));
        await using var grpcJs = await PeerProcess.StartAsync(Peers.GrpcJs());
        using var oursChannel = new GrpcChannel([ours.Address]);
        using var grpcJsChannel = new GrpcChannel([grpcJs.Address]);
        var options = new CallOptions { BearerToken = settings.Method == "Public" ? null : token };
        Func<Task> Call(GrpcChannel channel) => () => channel.UnaryAsync<EchoRequest, EchoReply>(path, request, options);

        Console.WriteLine($"Genie transport benchmark: unary {path}, request {request.CalculateSize()} bytes, loopback h2c, client = our GrpcChannel");
        Console.WriteLine($"cores: {Environment.ProcessorCount}  runtime: {RuntimeInformation.FrameworkDescription}  grpc-js: {Peers.GrpcJsVersion()}  " +
                          $"node: {NodeVersion()}  warm-up: {settings.Warmup.TotalSeconds:0.#} s  duration: {settings.Duration.TotalSeconds:0.#} s per cell");
        Console.WriteLine($"load average at start: {ProcFs.LoadAverage}");
        Console.WriteLine();
        Console.WriteLine($"{"server",-8} {"callers",7} {"calls/s",10} {"p50 µs",9} {"p95 µs",9} {"srv CPU µs/call",16} {"errors",7}");
        var rows = new List<(LoadResult Ours, LoadResult GrpcJs)>();
        foreach (var callers in settings.Callers)
        {
            var a = await LoadRunner.RunAsync(Call(oursChannel), () => ours.CpuTime, callers, settings.Warmup, settings.Duration);
            Print("ours", a);
            var b = await LoadRunner.RunAsync(Call(grpcJsChannel), () => grpcJs.CpuTime, callers, settings.Warmup, settings.Duration);
            Print("grpc-js", b);
            rows.Add((a, b));
        }
        Console.WriteLine();
        Console.WriteLine($"{"callers",7} {"throughput ours/grpc-js",24} {"p50 ours/grpc-js",17} {"srv CPU/call ours/grpc-js",26}");
        foreach (var (a, b) in rows)
            Console.WriteLine($"{a.Callers,7} {a.CallsPerSecond / b.CallsPerSecond,24:0.00} {a.P50Micros / b.P50Micros,17:0.00} {a.ServerCpuMicrosPerCall / b.ServerCpuMicrosPerCall,26:0.00}");
        Console.WriteLine($"load average at end: {ProcFs.LoadAverage}");
        return rows.Any(r => r.Ours.Errors > 0 || r.GrpcJs.Errors > 0) ? 1 : 0;
    }

    private static void Print(string server, LoadResult r) =>
        Console.WriteLine($"{server,-8} {r.Callers,7} {r.CallsPerSecond,10:0} {r.P50Micros,9:0} {r.P95Micros,9:0} {r.ServerCpuMicrosPerCall,16:0.0} {r.Errors,7}");

    private static string NodeVersion()
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(Peers.GrpcJs().FileName, "--version")
            {
                RedirectStandardOutput = true,
            })!;
            var version = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return version;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }
}
