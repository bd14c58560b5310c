using OllamaSharp;
using OllamaSharp.Models;

namespace Genie.Agent.Models;

/// <summary>
/// OllamaSharp's client, except that a streamed answer stops when the call is cancelled: OllamaSharp reads the
/// NDJSON lines without the token, so a model that goes quiet would hold the call past the bot's timeouts.
/// Cancelling now disposes the response, which ends the pending read.
/// </summary>
public sealed class CancellableOllamaClient(HttpClient http, string model) : OllamaApiClient(http, model)
{
    protected override async Task<HttpResponseMessage> SendToOllamaAsync(
        HttpRequestMessage requestMessage, OllamaRequest? ollamaRequest, HttpCompletionOption completionOption, CancellationToken cancellationToken)
    {
        var response = await base.SendToOllamaAsync(requestMessage, ollamaRequest, completionOption, cancellationToken);
        // The registration lives as long as the caller's token source: ModelRunner's, one per answer.
        cancellationToken.Register(response.Dispose);
        return response;
    }
}
