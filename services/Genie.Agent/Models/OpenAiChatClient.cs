using System.ClientModel;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using OpenAI;
using Sdk = OpenAI.Chat;

namespace Genie.Agent.Models;

/// <summary>
/// <see cref="IChatClient"/> over the official OpenAI SDK's chat client, for any OpenAI-compatible
/// endpoint (OpenAI, Azure-style gateways, vLLM, Ollama's /v1). Streams content deltas and the final usage.
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
        var sdkMessages = messages.Select(ToSdk).ToList();
        await foreach (var update in _client.CompleteChatStreamingAsync(sdkMessages, sdkOptions, cancellationToken))
        {
            var text = string.Concat(update.ContentUpdate.Select(part => part.Text));
            var result = new ChatResponseUpdate(ChatRole.Assistant, text) { ModelId = update.Model };
            if (update.FinishReason is { } finish)
            {
                result.FinishReason = finish == Sdk.ChatFinishReason.Length ? ChatFinishReason.Length
                    : finish == Sdk.ChatFinishReason.ContentFilter ? ChatFinishReason.ContentFilter
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
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? _metadata :
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    private static Sdk.ChatMessage ToSdk(ChatMessage message) =>
        message.Role == ChatRole.System ? new Sdk.SystemChatMessage(message.Text)
        : message.Role == ChatRole.Assistant ? new Sdk.AssistantChatMessage(message.Text)
        : new Sdk.UserChatMessage(message.Text);
}
