using Dapper;
using Npgsql;

namespace Genie.Slack.Inbound;

/// <summary>The adapter's memory in schema <c>slack</c>: events taken, thread conversations, open placeholders.</summary>
public sealed class SlackStore(NpgsqlDataSource db)
{
    /// <summary>True the first time an event id is seen; false for every redelivery of it.</summary>
    public async Task<bool> TakeEventAsync(string eventId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(
            "INSERT INTO slack.events (event_id) VALUES (@eventId) ON CONFLICT DO NOTHING", new { eventId }, cancellationToken: ct)) == 1;
    }

    /// <summary>The Genie conversation (and its bot) this person has in this Slack thread, if any.</summary>
    public async Task<ThreadConversation?> FindConversationAsync(string channelId, string threadTs, string slackUserId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<ThreadConversation>(new CommandDefinition(
            "SELECT conversation_id AS ConversationId, bot AS Bot FROM slack.threads WHERE channel_id = @channelId AND thread_ts = @threadTs AND slack_user_id = @slackUserId",
            new { channelId, threadTs, slackUserId }, cancellationToken: ct));
    }

    public async Task RememberConversationAsync(string channelId, string threadTs, string slackUserId, string conversationId, string bot, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO slack.threads (channel_id, thread_ts, slack_user_id, conversation_id, bot)
            VALUES (@channelId, @threadTs, @slackUserId, @conversationId, @bot)
            ON CONFLICT (channel_id, thread_ts, slack_user_id) DO UPDATE SET conversation_id = excluded.conversation_id
            """, new { channelId, threadTs, slackUserId, conversationId, bot }, cancellationToken: ct));
    }

    public async Task AddPendingAsync(string channelId, string ts, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "INSERT INTO slack.pending_answers (channel_id, ts) VALUES (@channelId, @ts) ON CONFLICT DO NOTHING", new { channelId, ts }, cancellationToken: ct));
    }

    public async Task RemovePendingAsync(string channelId, string ts, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "DELETE FROM slack.pending_answers WHERE channel_id = @channelId AND ts = @ts", new { channelId, ts }, cancellationToken: ct));
    }

    /// <summary>Placeholders posted before <paramref name="before"/> and never finished (the process stopped mid-answer).</summary>
    public async Task<IReadOnlyList<(string ChannelId, string Ts)>> ListPendingAsync(DateTimeOffset before, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(string, string)>(new CommandDefinition(
            "SELECT channel_id, ts FROM slack.pending_answers WHERE posted_at < @before ORDER BY posted_at",
            new { before = before.UtcDateTime }, cancellationToken: ct));
        return rows.ToList();
    }

    /// <summary>Event ids older than Slack's last retry (about 5 minutes) are no longer needed; keep a day.</summary>
    public async Task ForgetOldEventsAsync(DateTimeOffset before, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "DELETE FROM slack.events WHERE received_at < @before", new { before = before.UtcDateTime }, cancellationToken: ct));
    }
}

public sealed record ThreadConversation(string ConversationId, string Bot);
