using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace Genie.Testing;

/// <summary>Free TCP ports on the loopback interface, for servers started by tests.</summary>
public static class FreePort
{
    private const int BindAttempts = 5;

    /// <summary>
    /// A port that was free a moment ago. Another process may take it before the caller binds,
    /// so callers that start servers should do it inside <see cref="BindAsync{T}"/>.
    /// </summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Runs <paramref name="start"/> (which picks its ports with <see cref="Next"/>) again with new ports
    /// when another process took one of them first — test projects run in parallel on one machine.
    /// </summary>
    public static async Task<T> BindAsync<T>(Func<Task<T>> start)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await start();
            }
            catch (Exception e) when (attempt < BindAttempts && IsAddressInUse(e))
            {
            }
        }
    }

    private static bool IsAddressInUse(Exception e) =>
        e is AddressInUseException
        || e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }
        || (e.InnerException is { } inner && IsAddressInUse(inner));
}
