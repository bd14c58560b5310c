using Genie.Contracts.Agent.V1;
using Grpc.Core;

namespace Genie.Agent.Chat;

/// <summary>Writes the Chat response stream in its documented order: started, deltas (fallback), citations, completed.</summary>
internal sealed class ChatEventStream(IServerStreamWriter<ChatEvent> writer, CancellationToken cancelled)
{
    public Task StartedAsync(ChatPipelineTurn turn) => writer.WriteAsync(new ChatEvent
    {
        Started = new ChatStarted
        {
            ConversationId = turn.ConversationId.ToString(),
            MessageId = turn.AssistantMessageId.ToString(),
            StandaloneQuery = turn.Standalone,
        },
    });

    public Task DeltaAsync(string text)
    {
        cancelled.ThrowIfCancellationRequested();
        return writer.WriteAsync(new ChatEvent { Delta = new AnswerDelta { Text = text } });
    }

    /// <summary>False when the caller has gone.</summary>
    public async Task<bool> TryDeltaAsync(string text)
    {
        try
        {
            await DeltaAsync(text);
            return true;
        }
        catch (Exception) when (cancelled.IsCancellationRequested)
        {
            return false;
        }
    }

    public Task FallbackAsync(string reason, string model)
    {
        cancelled.ThrowIfCancellationRequested();
        return writer.WriteAsync(new ChatEvent { Fallback = new FallbackNotice { Reason = reason, Model = model } });
    }

    public Task CitationsAsync(IEnumerable<Citation> citations)
    {
        var items = new Citations();
        items.Items.AddRange(citations);
        return writer.WriteAsync(new ChatEvent { Citations = items });
    }

    public Task CompletedAsync(ChatCompleted completed) => writer.WriteAsync(new ChatEvent { Completed = completed });
}

/// <summary>The identifiers a turn announces before answering.</summary>
internal sealed record ChatPipelineTurn(Guid ConversationId, Guid AssistantMessageId, string Standalone);
