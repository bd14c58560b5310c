using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Genie.Agent.Models;

/// <summary>
/// A built-in "model" whose answer is computed by code (e.g. the Learning Bot's answers from LmsBridge data)
/// and streamed in word groups like <see cref="BuiltinChatClient"/>. The prompt is ignored.
/// </summary>
public sealed class ComputedAnswerClient(string modelId, Func<CancellationToken, Task<string>> answer) : IChatClient
{
    private const int WordsPerDelta = 16;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var words = (await answer(cancellationToken)).Split(' ');
        for (var i = 0; i < words.Length; i += WordsPerDelta)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var piece = string.Join(' ', words.Skip(i).Take(WordsPerDelta));
            if (i + WordsPerDelta < words.Length) piece += " ";
            yield return new ChatResponseUpdate(ChatRole.Assistant, piece) { ModelId = modelId };
        }
        yield return new ChatResponseUpdate { Role = ChatRole.Assistant, ModelId = modelId, FinishReason = ChatFinishReason.Stop };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("builtin", null, modelId) :
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
