using System.Runtime.InteropServices;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Genie.Test.V1;
using Genie.Testing;
using Grpc.Core;
using Grpc.Net.Client;

namespace Genie.Transport.Bench;

/// <summary>
/// The same Grpc.Net.Client load against a Grpc.AspNetCore server (our ServiceDefaults composition)
/// and a @grpc/grpc-js server, both in child processes on loopback: unary Echo and server-streaming
/// Stream, interleaved per concurrency level so background load hits both alike.
/// </summary>
public static class Benchmark
{
    public static async Task<int> RunAsync(BenchSettings settings)
    {
        var signingKey = AuthOptions.GenerateKey();
        var tokens = new TokenService(new AuthOptions { SigningKey = AuthOptions.DecodeKey(signingKey) });
        // Both servers receive the same token; ours validates it (JwtBearer, as production does), grpc-js ignores it.
        var token = tokens.Issue("bench", "bench@example.test", "bench", Roles.Service, TimeSpan.FromHours(1));
        var request = new EchoRequest { Text = settings.Text };
        var streamRequest = new EchoRequest { Text = settings.Text, Count = settings.StreamCount };
        await using var aspnet = await PeerProcess.StartAsync(Peers.Ours(signingKey));
        await using var grpcJs = await PeerProcess.StartAsync(Peers.GrpcJs());
        using var aspnetChannel = GrpcChannel.ForAddress(aspnet.Address);
        using var grpcJsChannel = GrpcChannel.ForAddress(grpcJs.Address);
        var headers = settings.Method == "Public" ? new Metadata() : BearerToken.Headers(token);

        Func<Task> Unary(GrpcChannel channel)
        {
            var client = new EchoService.EchoServiceClient(channel);
            return settings.Method == "Public"
                ? async () => await client.PublicAsync(request, headers)
                : async () => await client.EchoAsync(request, headers);
        }

        Func<Task> Streaming(GrpcChannel channel)
        {
            var client = new EchoService.EchoServiceClient(channel);
            return async () =>
            {
                using var call = client.Stream(streamRequest, headers);
                var received = 0;
                await foreach (var _ in call.ResponseStream.ReadAllAsync())
                    received++;
                if (received != settings.StreamCount)
                    throw new InvalidOperationException($"stream ended after {received} of {settings.StreamCount} replies");
            };
        }

        Console.WriteLine($"Genie transport benchmark: Grpc.AspNetCore (ServiceDefaults composition) vs @grpc/grpc-js, loopback h2c, client = Grpc.Net.Client");
        Console.WriteLine($"unary {settings.Method} ({request.CalculateSize()} byte request); server-streaming Stream ({settings.StreamCount} replies per call, latency = whole call)");
        Console.WriteLine($"cores: {Environment.ProcessorCount}  runtime: {RuntimeInformation.FrameworkDescription}  grpc-js: {Peers.GrpcJsVersion()}  " +
                          $"node: {NodeVersion()}  warm-up: {settings.Warmup.TotalSeconds:0.#} s  duration: {settings.Duration.TotalSeconds:0.#} s per cell");
        Console.WriteLine($"load average at start: {ProcFs.LoadAverage}");
        Console.WriteLine();
        Console.WriteLine($"{"rpc",-7} {"server",-8} {"callers",7} {"calls/s",10} {"p50 µs",9} {"p95 µs",9} {"p99 µs",9} {"srv CPU µs/call",16} {"errors",7}");
        var rows = new List<(string Rpc, LoadResult AspNet, LoadResult GrpcJs)>();
        foreach (var (rpc, call) in new (string, Func<GrpcChannel, Func<Task>>)[] { ("unary", Unary), ("stream", Streaming) })
        {
            foreach (var callers in settings.Callers)
            {
                var a = await LoadRunner.RunAsync(call(aspnetChannel), () => aspnet.CpuTime, callers, settings.Warmup, settings.Duration);
                Print(rpc, "aspnet", a);
                var b = await LoadRunner.RunAsync(call(grpcJsChannel), () => grpcJs.CpuTime, callers, settings.Warmup, settings.Duration);
                Print(rpc, "grpc-js", b);
                rows.Add((rpc, a, b));
            }
        }
        Console.WriteLine();
        Console.WriteLine("ratios Grpc.AspNetCore / grpc-js (throughput: higher is better for Grpc.AspNetCore; latency and CPU: lower is)");
        Console.WriteLine($"{"rpc",-7} {"callers",7} {"throughput",11} {"p50",7} {"p99",7} {"srv CPU/call",13}");
        foreach (var (rpc, a, b) in rows)
            Console.WriteLine($"{rpc,-7} {a.Callers,7} {a.CallsPerSecond / b.CallsPerSecond,11:0.00} {a.P50Micros / b.P50Micros,7:0.00} {a.P99Micros / b.P99Micros,7:0.00} {a.ServerCpuMicrosPerCall / b.ServerCpuMicrosPerCall,13:0.00}");
        Console.WriteLine($"load average at end: {ProcFs.LoadAverage}");
        return rows.Any(r => r.AspNet.Errors > 0 || r.GrpcJs.Errors > 0) ? 1 : 0;
    }

    private static void Print(string rpc, string server, LoadResult r) =>
        Console.WriteLine($"{rpc,-7} {server,-8} {r.Callers,7} {r.CallsPerSecond,10:0} {r.P50Micros,9:0} {r.P95Micros,9:0} {r.P99Micros,9:0} {r.ServerCpuMicrosPerCall,16:0.0} {r.Errors,7}");

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
