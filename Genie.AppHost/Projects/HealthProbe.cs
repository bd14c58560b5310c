namespace Genie.AppHost.Projects;

/// <summary>Asks a service's HTTP/1.1 endpoint for <c>/health</c> (200 when it is ready: database reachable, migrated).</summary>
internal static class HealthProbe
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromSeconds(30),
        ConnectTimeout = TimeSpan.FromSeconds(2),
    })
    {
        Timeout = TimeSpan.FromSeconds(5),
    };

    public static async Task<bool> IsHealthyAsync(Uri httpEndpoint, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Client.GetAsync(new Uri(httpEndpoint, "/health"), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
