namespace Genie.AppHost.Tests;

/// <summary>Polls a service's <c>/health</c> until stopped and counts the answers that were not healthy.</summary>
internal static class HealthFailures
{
    public static async Task<int> CountAsync(HttpClient client, TimeSpan interval, CancellationToken stop)
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
            await Task.Delay(interval, CancellationToken.None);
        }
        return failures;
    }
}
