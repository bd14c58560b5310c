using System.ClientModel;
using System.ClientModel.Primitives;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI;
using Sdk = OpenAI.Chat;

namespace Genie.Agent.Models;

/// <summary>
/// <see cref="IChatClient"/> over the official OpenAI SDK's chat client, for any OpenAI-compatible
/// endpoint (OpenAI, Azure-style gateways, vLLM, Ollama's /v1). Streams content deltas and the final usage.
/// Tool calls stream in pieces (id and name first, then argument fragments, keyed by index); they are
/// assembled and surfaced as <see cref="FunctionCallContent"/> when the stream ends.
/// </summary>
public sealed class OpenAiChatClient : IChatClient
{
    private readonly Sdk.ChatClient _client;
    private readonly ChatClientMetadata _metadata;

    public OpenAiChatClient(string model, string apiKey, Uri? endpoint, TimeSpan? networkTimeout = null)
    {
        var options = new OpenAIClientOptions();
        if (endpoint is not null) options.Endpoint = endpoint;
        if (networkTimeout is { } timeout) options.NetworkTimeout = timeout;
        // No retries: a failed or refused request falls back to the built-in answer at once (the pipeline's own
        // timeouts and fallback are the resilience policy; retrying with back-off would only delay the answer).
        options.RetryPolicy = new ClientRetryPolicy(maxRetries: 0);
        // OpenAI-compatible servers that ignore keys still need a non-empty one.
        _client = new Sdk.ChatClient(model, new ApiKeyCredential(string.IsNullOrEmpty(apiKey) ? "unused" : apiKey), options);
        _metadata = new ChatClientMetadata("openai", endpoint ?? new Uri("https://api.openai.com/v1"), model);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var sdkOptions = new Sdk.ChatCompletionOptions
        {
            Temperature = options?.Temperature,
            MaxOutputTokenCount = options?.MaxOutputTokens,
        };
        foreach (var tool in options?.Tools?.OfType<AIFunctionDeclaration>() ?? [])
            sdkOptions.Tools.Add(Sdk.ChatTool.CreateFunctionTool(tool.Name, tool.Description, BinaryData.FromString(tool.JsonSchema.GetRawText())));
        var sdkMessages = messages.SelectMany(ToSdk).ToList();
        var calls = new SortedDictionary<int, ToolCallParts>();
        var finished = false;
        await using var updates = _client.CompleteChatStreamingAsync(sdkMessages, sdkOptions, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            Sdk.StreamingChatCompletionUpdate update;
            try
            {
                if (!await updates.MoveNextAsync()) break;
                update = updates.Current;
            }
            catch (ClientResultException e)
            {
                throw new OpenAiException($"the server answered {e.Status}: {ErrorMessage(e)}", e);
            }
            foreach (var part in update.ToolCallUpdates)
            {
                if (!calls.TryGetValue(part.Index, out var call)) calls[part.Index] = call = new ToolCallParts();
                call.Id ??= part.ToolCallId;
                call.Name ??= part.FunctionName;
                if (part.FunctionArgumentsUpdate is { } args) call.Arguments.Append(args.ToString());
            }
            var text = string.Concat(update.ContentUpdate.Select(part => part.Text));
            var result = new ChatResponseUpdate(ChatRole.Assistant, text) { ModelId = update.Model };
            if (update.FinishReason is { } finish)
            {
                finished = true;
                result.FinishReason = finish == Sdk.ChatFinishReason.Length ? ChatFinishReason.Length
                    : finish == Sdk.ChatFinishReason.ContentFilter ? ChatFinishReason.ContentFilter
                    : finish == Sdk.ChatFinishReason.ToolCalls ? ChatFinishReason.ToolCalls
                    : ChatFinishReason.Stop;
            }
            if (update.Usage is { } usage)
            {
                result.Contents.Add(new UsageContent(new UsageDetails
                {
                    InputTokenCount = usage.InputTokenCount,
                    OutputTokenCount = usage.OutputTokenCount,
                    TotalTokenCount = usage.TotalTokenCount,
                }));
            }
            yield return result;
        }
        // Every completed choice ends with a finish_reason; a stream that stops without one was cut off
        // (a dropped connection, or an {"error": …} event in place of the rest of the answer).
        if (!finished) throw new OpenAiException("the stream ended before the model finished its answer");
        if (calls.Count > 0)
        {
            var done = new ChatResponseUpdate { Role = ChatRole.Assistant };
            foreach (var call in calls.Values)
            {
                var arguments = call.Arguments.Length == 0
                    ? new Dictionary<string, object?>()
                    : JsonSerializer.Deserialize<Dictionary<string, object?>>(call.Arguments.ToString());
                done.Contents.Add(new FunctionCallContent(call.Id ?? $"call_{Guid.NewGuid():N}", call.Name ?? "", arguments));
            }
            yield return done;
        }
    }

    private sealed class ToolCallParts
    {
        public string? Id { get; set; }

        public string? Name { get; set; }

        public StringBuilder Arguments { get; } = new();
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? _metadata :
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    /// <summary>The <c>error.message</c> of an OpenAI error body, else the start of whatever the server sent.</summary>
    private static string ErrorMessage(ClientResultException e)
    {
        var body = e.GetRawResponse()?.Content?.ToString() ?? "";
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object &&
                error.TryGetProperty("message", out var message) && message.GetString() is { Length: > 0 } text)
                return text;
        }
        catch (JsonException)
        {
        }
        return body.Length == 0 ? e.Message.Split('\n')[0] : body.Length > 300 ? body[..300] : body;
    }

    private static IEnumerable<Sdk.ChatMessage> ToSdk(ChatMessage message)
    {
        var results = message.Contents.OfType<FunctionResultContent>().ToList();
        if (results.Count > 0)
        {
            foreach (var r in results)
                yield return new Sdk.ToolChatMessage(r.CallId, r.Result as string ?? JsonSerializer.Serialize(r.Result));
            yield break;
        }
        var calls = message.Contents.OfType<FunctionCallContent>().ToList();
        if (calls.Count > 0)
        {
            yield return new Sdk.AssistantChatMessage(calls.Select(c => Sdk.ChatToolCall.CreateFunctionToolCall(
                c.CallId, c.Name, BinaryData.FromString(JsonSerializer.Serialize(c.Arguments ?? new Dictionary<string, object?>())))));
            yield break;
        }
        yield return message.Role == ChatRole.System ? new Sdk.SystemChatMessage(message.Text)
            : message.Role == ChatRole.Assistant ? new Sdk.AssistantChatMessage(message.Text)
            : new Sdk.UserChatMessage(message.Text);
    }
}

/// <summary>An OpenAI-compatible server refused or failed a request; the message is the server's own where it gave one.</summary>
public sealed class OpenAiException(string message, Exception? inner = null) : Exception(message, inner);
