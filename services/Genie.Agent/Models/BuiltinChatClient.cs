using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Genie.Agent.Answering;
using Genie.Agent.Prompting;
using Microsoft.Extensions.AI;

namespace Genie.Agent.Models;

/// <summary>
/// The model that needs no model: reads the numbered sources and the question out of the prompt
/// <see cref="PromptBuilder"/> built and answers extractively (<see cref="ExtractiveComposer"/>).
/// Instructions inside sources cannot steer it: it only ever quotes.
/// </summary>
public sealed partial class BuiltinChatClient : IChatClient
{
    public const string ModelId = "builtin-extractive";
    // Big enough to keep per-message overhead low, small enough that the answer visibly streams.
    private const int WordsPerDelta = 16;

    private static readonly ChatClientMetadata Metadata = new("builtin", null, ModelId);

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var meaning = options?.AdditionalProperties?.TryGetValue(SentenceMeaning.OptionKey, out var value) == true ? value as SentenceMeaning : null;
        var answer = await AnswerAsync(messages.ToList(), meaning, cancellationToken);
        var words = answer.Split(' ');
        for (var i = 0; i < words.Length; i += WordsPerDelta)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var piece = string.Join(' ', words.Skip(i).Take(WordsPerDelta));
            if (i + WordsPerDelta < words.Length) piece += " ";
            yield return new ChatResponseUpdate(ChatRole.Assistant, piece) { ModelId = ModelId };
        }
        yield return new ChatResponseUpdate { Role = ChatRole.Assistant, ModelId = ModelId, FinishReason = ChatFinishReason.Stop };
    }

    /// <summary>The answer scored by words only (no meaning scores).</summary>
    public static string Answer(IReadOnlyList<ChatMessage> messages)
    {
        var (question, sources, length) = Read(messages);
        return ExtractiveComposer.Compose(question, sources, length);
    }

    /// <summary>
    /// The answer with the sentences also scored by meaning when <paramref name="meaning"/> is given; if scoring fails the
    /// answer is scored by words only (the scorer logs why).
    /// </summary>
    public static async Task<string> AnswerAsync(IReadOnlyList<ChatMessage> messages, SentenceMeaning? meaning, CancellationToken cancellationToken)
    {
        var (question, sources, length) = Read(messages);
        IReadOnlyList<double>? scores = null;
        if (meaning is not null && ExtractiveComposer.Sentences(sources) is { Count: > 0 } sentences)
            scores = await meaning.ScoreAsync(question, sentences, cancellationToken);
        return ExtractiveComposer.Compose(question, sources, length, scores);
    }

    private static (string Question, IReadOnlyList<SourceFence.FencedSource> Sources, Genie.Contracts.Agent.V1.AnswerLength Length) Read(IReadOnlyList<ChatMessage> messages)
    {
        var system = messages.FirstOrDefault(m => m.Role == ChatRole.System)?.Text ?? "";
        var last = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";
        var sources = SourceFence.Read(last);
        var question = LineValue(last, PromptBuilder.StandalonePrefix) ?? LineValue(last, PromptBuilder.QuestionPrefix) ?? last;
        var length = PromptBuilder.ParseLengthWord(LengthPattern().Match(system).Groups[1].Value);
        return (question, sources, length);
    }

    private static string? LineValue(string text, string prefix)
    {
        // The question lines follow the closing fence, so search after it: a source cannot fake them.
        var afterSources = text.LastIndexOf(SourceFence.Close, StringComparison.Ordinal);
        var tail = afterSources < 0 ? text : text[(afterSources + SourceFence.Close.Length)..];
        foreach (var line in tail.Split('\n'))
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal)) return line[prefix.Length..].Trim();
        }
        return null;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? Metadata :
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    [GeneratedRegex(@"^Answer length: (\w+)", RegexOptions.Multiline)]
    private static partial Regex LengthPattern();
}
