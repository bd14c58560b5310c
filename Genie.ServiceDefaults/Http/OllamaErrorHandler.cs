using System.Text.Json;

namespace Genie.ServiceDefaults.Http;

/// <summary>
/// Ollama answers a failed request with <c>{"error": "…"}</c> (e.g. 404 <c>model "x" not found, try pulling it
/// first</c>); OllamaSharp reports only the status for most of them. This turns such a response into an
/// <see cref="HttpRequestException"/> with the status and Ollama's own words, so fallbacks and errors can say why.
/// </summary>
public sealed class OllamaErrorHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
            return response;
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"Ollama answered {(int)response.StatusCode}: {ErrorText(body)}", null, response.StatusCode);
        }
    }

    private static string ErrorText(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
                return error.GetString()!;
        }
        catch (JsonException)
        {
        }
        return body.Length > 300 ? body[..300] : body;
    }
}
