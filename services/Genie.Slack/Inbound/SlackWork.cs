namespace Genie.Slack.Inbound;

/// <summary>What an inbound Slack payload asks for, queued after the payload is acknowledged.</summary>
public abstract record SlackWork(string SlackUserId, string ChannelId);

/// <summary>A DM or an @mention. <paramref name="ThreadTs"/> is set when it was written inside a thread.</summary>
public sealed record QuestionWork(string SlackUserId, string ChannelId, string Ts, string? ThreadTs, string Text, string Bot)
    : SlackWork(SlackUserId, ChannelId)
{
    /// <summary>The thread the answer goes into, and whose conversation it continues.</summary>
    public string ReplyThreadTs => ThreadTs ?? Ts;
}

/// <summary>👍 or 👎 on an answer (<paramref name="MessageId"/> is Agent's id of the answer).</summary>
public sealed record FeedbackWork(string SlackUserId, string ChannelId, string? ThreadTs, string MessageId, bool Helpful)
    : SlackWork(SlackUserId, ChannelId);

/// <summary><c>/genie next</c>, <c>/genie progress</c>, <c>/genie help</c>.</summary>
public sealed record CommandWork(string SlackUserId, string ChannelId, string Command, string Text)
    : SlackWork(SlackUserId, ChannelId);
