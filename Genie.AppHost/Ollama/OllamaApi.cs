using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Genie.AppHost.Ollama;

/// <summary>The few Ollama endpoints the AppHost needs: version (is it there?), tags (which models), pull (with progress).</summary>
internal sealed class OllamaApi(Uri baseUrl)
{
    private static readonly HttpClient Client = new() { Timeout = Timeout.InfiniteTimeSpan };

    public async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            using var response = await Client.GetAsync(new Uri(baseUrl, "api/version"), timeout.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken)
    {
        var tags = await Client.GetFromJsonAsync<TagsResponse>(new Uri(baseUrl, "api/tags"), cancellationToken);
        return tags?.Models?.Select(m => m.Name).Where(n => n is not null).Select(n => n!).ToList() ?? [];
    }

    /// <summary>Pulls a model, reporting each layer's progress from the NDJSON stream; throws on an <c>error</c> line.</summary>
    public async Task PullAsync(string model, Func<PullStatus, Task> onProgress, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, "api/pull"))
        {
            Content = JsonContent.Create(new { model, stream = true }),
        };
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(body);
        var succeeded = false;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            var status = JsonSerializer.Deserialize<PullStatus>(line)
                ?? throw new InvalidOperationException($"unexpected line from /api/pull: {line}");
            if (status.Error is not null)
                throw new InvalidOperationException(status.Error);
            await onProgress(status);
            succeeded |= status.Status == "success";
        }
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"HTTP {(int)response.StatusCode}");
        if (!succeeded)
            throw new InvalidOperationException("the pull ended before reporting success");
    }

    /// <summary>True when <paramref name="installed"/> holds <paramref name="model"/>; a missing tag means <c>latest</c>.</summary>
    public static bool Contains(IEnumerable<string> installed, string model)
    {
        static string Normalize(string name) => name.Contains(':', StringComparison.Ordinal) ? name : name + ":latest";
        return installed.Any(i => string.Equals(Normalize(i), Normalize(model), StringComparison.OrdinalIgnoreCase));
    }

    private sealed record TagsResponse([property: JsonPropertyName("models")] List<TagModel>? Models);

    private sealed record TagModel([property: JsonPropertyName("name")] string? Name);
}

internal sealed record PullStatus(
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("digest")] string? Digest,
    [property: JsonPropertyName("total")] long? Total,
    [property: JsonPropertyName("completed")] long? Completed,
    [property: JsonPropertyName("error")] string? Error);
