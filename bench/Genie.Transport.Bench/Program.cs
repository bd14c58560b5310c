using Genie.Transport.Bench;

// `--serve`: host our echo server (a child of the benchmark, like the grpc-js server is).
// Otherwise: run the benchmark against both servers and print the table.
if (args.Length > 0 && args[0] == "--serve")
{
    await OurEchoServer.RunAsync();
    return 0;
}
return await Benchmark.RunAsync(BenchSettings.Parse(args));
