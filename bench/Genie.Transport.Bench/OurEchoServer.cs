using System.Net;
using System.Net.Sockets;
using Genie.ServiceDefaults;
using Genie.ServiceDefaults.Rpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Genie.Transport.Bench;

/// <summary>
/// Grpc.AspNetCore serving echo.proto, composed like a service's Program.cs (service defaults included),
/// on a free loopback port printed as the first stdout line. Stops when stdin closes.
/// The signing key comes from Genie__Auth__SigningKey, set by the parent.
/// </summary>
public static class OurEchoServer
{
    public static async Task RunAsync()
    {
        var grpcPort = FreeLoopbackPort();
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:grpc:Url"] = $"http://127.0.0.1:{grpcPort}",
            ["Kestrel:Endpoints:grpc:Protocols"] = "Http2",
            ["Kestrel:Endpoints:http:Url"] = $"http://127.0.0.1:{FreeLoopbackPort()}",
            ["Kestrel:Endpoints:http:Protocols"] = "Http1",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddServiceDefaults("bench");
        builder.Services.AddGrpcService<BenchEchoHandler>();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        Console.WriteLine(grpcPort);
        // The parent closes our stdin when it is done (or dies).
        await Console.In.ReadToEndAsync();
        await app.StopAsync();
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
