using System.Text.Json;
using System.Text.Json.Nodes;
using Genie.Slack.Answering;

namespace Genie.Slack.Inbound;

/// <summary>The kinds of payload Slack sends, named as Socket Mode's envelope types.</summary>
public enum SlackPayloadKind
{
    EventsApi,
    Interactive,
    SlashCommands,
}

/// <summary>
/// The one handler both ways in feed (Socket Mode envelopes and the HTTP Events API): it decides what a
/// payload asks for, dedupes events on <c>event_id</c>, queues the work and returns at once, so the
/// caller acknowledges well within Slack's 3 seconds. The answer is worked on afterwards.
/// </summary>
public sealed class SlackInbox(SlackStore store, SlackWorkQueue queue, ILogger<SlackInbox> logger)
{
    /// <returns>What to acknowledge with (a slash command's immediate reply), or null for a bare ack.</returns>
    public async Task<JsonObject?> HandleAsync(SlackPayloadKind kind, JsonElement payload, CancellationToken ct)
    {
        switch (kind)
        {
            case SlackPayloadKind.EventsApi:
                await HandleEventAsync(payload, ct);
                return null;
            case SlackPayloadKind.Interactive:
                HandleInteraction(payload);
                return null;
            default:
                return HandleCommand(payload);
        }
    }

    private async Task HandleEventAsync(JsonElement payload, CancellationToken ct)
    {
        if (Str(payload, "type") != "event_callback" || !payload.TryGetProperty("event", out var ev))
            return;
        var question = Question(ev);
        if (question is null)
            return;
        var eventId = Str(payload, "event_id");
        if (string.IsNullOrEmpty(eventId))
            return;
        if (!await store.TakeEventAsync(eventId, ct))
        {
            logger.LogDebug("Slack event {EventId} was already taken; ignoring the redelivery", eventId);
            return;
        }
        queue.Enqueue(question);
    }

    /// <summary>A DM to the bot or an @mention of it; null for anything the bot should not answer.</summary>
    private static QuestionWork? Question(JsonElement ev)
    {
        var type = Str(ev, "type");
        // Bots (the bot itself included) and edits, joins, deletions never get an answer: no loops.
        if (ev.TryGetProperty("bot_id", out _) || ev.TryGetProperty("subtype", out _))
            return null;
        var isDm = type == "message" && Str(ev, "channel_type") == "im";
        if (!isDm && type != "app_mention")
            return null;
        var user = Str(ev, "user");
        var channel = Str(ev, "channel");
        var ts = Str(ev, "ts");
        var text = SlackText.Question(Str(ev, "text") ?? "");
        if (user is null || channel is null || ts is null || text.Length == 0)
            return null;
        return new QuestionWork(user, channel, ts, Str(ev, "thread_ts"), text, BotChoice.For(text));
    }

    private void HandleInteraction(JsonElement payload)
    {
        if (Str(payload, "type") != "block_actions" || !payload.TryGetProperty("actions", out var actions) || actions.GetArrayLength() == 0)
            return;
        var action = actions[0];
        var actionId = Str(action, "action_id");
        if (actionId is not (AnswerBlocks.FeedbackUp or AnswerBlocks.FeedbackDown))
            return;
        var user = payload.TryGetProperty("user", out var u) ? Str(u, "id") : null;
        var container = payload.TryGetProperty("container", out var c) ? c : default;
        var channel = container.ValueKind == JsonValueKind.Object ? Str(container, "channel_id") : null;
        var messageId = Str(action, "value");
        if (user is null || channel is null || string.IsNullOrEmpty(messageId))
            return;
        queue.Enqueue(new FeedbackWork(user, channel, Str(container, "thread_ts"), messageId, actionId == AnswerBlocks.FeedbackUp));
    }

    private JsonObject HandleCommand(JsonElement payload)
    {
        var user = Str(payload, "user_id");
        var channel = Str(payload, "channel_id");
        if (user is null || channel is null)
            return new JsonObject { ["response_type"] = "ephemeral", ["text"] = "Slack sent this command without a user or channel." };
        queue.Enqueue(new CommandWork(user, channel, Str(payload, "command") ?? "/genie", (Str(payload, "text") ?? "").Trim()));
        return new JsonObject { ["response_type"] = "ephemeral", ["text"] = "On it…" };
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
