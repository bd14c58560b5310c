using Dapper;
using Npgsql;

namespace Genie.Agent.Conversations;

/// <summary>Thumbs up/down on assistant messages; one per message, the latest wins.</summary>
public sealed class FeedbackStore(NpgsqlDataSource db)
{
    /// <summary>Null when the message is not an assistant message in one of the user's conversations.</summary>
    public async Task<FeedbackRow?> SubmitAsync(Guid messageId, string userId, short rating, string comment, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<FeedbackRow>(new CommandDefinition(
            """
            insert into agent.feedback (message_id, user_id, rating, comment)
            select m.id, @userId, @rating, @comment
            from agent.messages m join agent.conversations c on c.id = m.conversation_id
            where m.id = @messageId and m.role = 'assistant' and c.user_id = @userId
            on conflict (message_id) do update set rating = excluded.rating, comment = excluded.comment, updated_at = now()
            returning *
            """,
            new { messageId, userId, rating, comment }, cancellationToken: ct));
    }
}
