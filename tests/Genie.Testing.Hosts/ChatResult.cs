using System.Text;
using Genie.Contracts.Agent.V1;
using Grpc.Core;

namespace Genie.Testing.Hosts;

/// <summary>One Chat call's stream from the Agent, collected the way a client renders it.</summary>
public sealed record ChatResult(IReadOnlyList<ChatEvent> Events)
{
    public ChatStarted Started => Events.First(e => e.EventCase == ChatEvent.EventOneofCase.Started).Started;

    public ChatCompleted Completed => Events.Single(e => e.EventCase == ChatEvent.EventOneofCase.Completed).Completed;

    public IReadOnlyList<Citation> Citations =>
        Events.Single(e => e.EventCase == ChatEvent.EventOneofCase.Citations).Citations.Items;

    public FallbackNotice? Fallback => Events.FirstOrDefault(e => e.EventCase == ChatEvent.EventOneofCase.Fallback)?.Fallback;

    /// <summary>The answer as a client shows it: deltas, restarted at a fallback notice.</summary>
    public string Answer
    {
        get
        {
            var text = new StringBuilder();
            foreach (var e in Events)
            {
                if (e.EventCase == ChatEvent.EventOneofCase.Fallback) text.Clear();
                if (e.EventCase == ChatEvent.EventOneofCase.Delta) text.Append(e.Delta.Text);
            }
            return text.ToString();
        }
    }

    public static async Task<ChatResult> AskAsync(AgentService.AgentServiceClient client, CallOptions options, string message, string conversationId = "", string bot = "")
    {
        var events = new List<ChatEvent>();
        using var call = client.Chat(new ChatRequest { Message = message, ConversationId = conversationId, Bot = bot }, options);
        await foreach (var e in call.ResponseStream.ReadAllAsync())
            events.Add(e);
        return new ChatResult(events);
    }
}
