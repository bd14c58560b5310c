using Genie.Transport.Bench;

// dotnet run -c Release --project bench/Genie.Transport.Bench [-- --warmup 2 --duration 5 --callers 1,16,64 --method Echo|Public --stream-count 10]
// runs unary and server-streaming load from Grpc.Net.Client against Grpc.AspNetCore (our ServiceDefaults) and @grpc/grpc-js (needs tests/node/node_modules: scripts/install-deps.sh) and prints the table.
// `--serve` is the child mode hosting echo.proto on Grpc.AspNetCore, a separate process like the grpc-js server.
if (args.Length > 0 && args[0] == "--serve")
{
    await OurEchoServer.RunAsync();
    return 0;
}
return await Benchmark.RunAsync(BenchSettings.Parse(args));
