using System.Net;
using System.Net.Sockets;

namespace Genie.Testing;

/// <summary>Free TCP ports on the loopback interface, for servers started by tests.</summary>
public static class FreePort
{
    /// <summary>
    /// A port that was free a moment ago. Another process may take it before the caller binds,
    /// so callers that start external servers should retry with a new port on "address in use".
    /// </summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
