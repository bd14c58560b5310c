namespace Genie.AppHost.Tests.Infrastructure;

/// <summary>Asks a service's <c>/health</c> over and over until stopped and counts the answers that were not healthy.</summary>
internal static class HealthFailures
{
    public static async Task<int> CountAsync(HttpClient client, CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var response = await client.GetAsync("/health", CancellationToken.None);
                failures += response.IsSuccessStatusCode ? 0 : 1;
            }
            catch (HttpRequestException)
            {
                failures++;
            }
            // Paced so the watchers do not crowd a small machine; each answer is still awaited in turn.
            await Task.Delay(100, CancellationToken.None);
        }
        return failures;
    }
}
