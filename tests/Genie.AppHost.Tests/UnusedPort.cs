using System.Net;
using System.Net.Sockets;

namespace Genie.AppHost.Tests;

internal static class UnusedPort
{
    /// <summary>A loopback port nothing listens on (free a moment ago).</summary>
    public static int Take()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
