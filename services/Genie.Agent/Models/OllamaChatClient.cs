using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;

namespace Genie.Agent.Models;

/// <summary>
/// <see cref="IChatClient"/> over Ollama's native <c>POST /api/chat</c> with NDJSON streaming.
/// Native rather than the OpenAI-compatible <c>/v1</c> because only the native API takes
/// <c>options.num_ctx</c> (RAG prompts need a known context size; Ollama silently truncates the
/// front of a longer prompt) and reports exact prompt/eval token counts in its final chunk.
/// </summary>
public sealed class OllamaChatClient(HttpClient http, string model, int? numCtx = null) : IChatClient
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly ChatClientMetadata _metadata = new("ollama", http.BaseAddress, model);

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = new OllamaChatRequest(
            options?.ModelId ?? model,
            messages.Select(m => new OllamaMessage(RoleName(m.Role), m.Text)).ToList(),
            Stream: true,
            new OllamaOptions(options?.Temperature, numCtx, options?.MaxOutputTokens, options?.Seed));

        using var httpRequest = new HttpRequestMessage(HttpMethod.Post, "api/chat")
        {
            Content = JsonContent.Create(request, options: Json),
        };
        using var response = await http.SendAsync(httpRequest, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new OllamaException($"Ollama answered {(int)response.StatusCode}: {ErrorText(body)}");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var sawDone = false;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0) continue;
            OllamaChunk? chunk;
            try
            {
                chunk = JsonSerializer.Deserialize<OllamaChunk>(line, Json);
            }
            catch (JsonException e)
            {
                throw new OllamaException($"Ollama sent a line that is not JSON: {e.Message}");
            }
            if (chunk is null) continue;
            if (chunk.Error is not null) throw new OllamaException($"Ollama failed mid-answer: {chunk.Error}");

            var update = new ChatResponseUpdate(ChatRole.Assistant, chunk.Message?.Content ?? "") { ModelId = chunk.Model };
            if (chunk.Done)
            {
                sawDone = true;
                update.FinishReason = chunk.DoneReason == "length" ? ChatFinishReason.Length : ChatFinishReason.Stop;
                update.Contents.Add(new UsageContent(new UsageDetails
                {
                    InputTokenCount = chunk.PromptEvalCount,
                    OutputTokenCount = chunk.EvalCount,
                    TotalTokenCount = chunk.PromptEvalCount + chunk.EvalCount,
                }));
            }
            yield return update;
            if (chunk.Done) break;
        }
        if (!sawDone) throw new OllamaException("Ollama's stream ended before the final chunk.");
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? _metadata :
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    private static string RoleName(ChatRole role) =>
        role == ChatRole.System ? "system" : role == ChatRole.Assistant ? "assistant" : role == ChatRole.Tool ? "tool" : "user";

    private static string ErrorText(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("error", out var error)) return error.GetString() ?? body;
        }
        catch (JsonException)
        {
        }
        return body.Length > 300 ? body[..300] : body;
    }

    private sealed record OllamaChatRequest(string Model, List<OllamaMessage> Messages, bool Stream, OllamaOptions Options);

    private sealed record OllamaMessage(string Role, string Content);

    private sealed record OllamaOptions(
        float? Temperature,
        [property: JsonPropertyName("num_ctx")] int? NumCtx,
        [property: JsonPropertyName("num_predict")] int? NumPredict,
        long? Seed);

    private sealed record OllamaChunk(
        string? Model,
        OllamaMessage? Message,
        bool Done,
        [property: JsonPropertyName("done_reason")] string? DoneReason,
        [property: JsonPropertyName("prompt_eval_count")] int? PromptEvalCount,
        [property: JsonPropertyName("eval_count")] int? EvalCount,
        string? Error);
}

/// <summary>Ollama refused or failed a request; the message is Ollama's own.</summary>
public sealed class OllamaException(string message) : Exception(message);
