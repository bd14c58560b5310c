using Dapper;
using Npgsql;

namespace Genie.Agent.Analytics;

public sealed class FeedbackReviewRow
{
    public Guid MessageId { get; set; }
    public short Rating { get; set; }
    public string Comment { get; set; } = "";
    public DateTime UpdatedAt { get; set; }
    public string UserId { get; set; } = "";
    public Guid ConversationId { get; set; }
    public string Bot { get; set; } = "";
    public string Question { get; set; } = "";
    public string Answer { get; set; } = "";
    public string? Model { get; set; }
    public bool NotCovered { get; set; }
    public bool Incomplete { get; set; }
    public DateTime AnsweredAt { get; set; }
}

public sealed record FeedbackPage(IReadOnlyList<FeedbackReviewRow> Rows, int Total, int Helpful, int NotHelpful);

/// <summary>
/// Feedback with excerpts of the rated answer and its question, for admins. Reading it is support access
/// to users' conversations, so the read and its audit (one row per conversation shown) commit together.
/// </summary>
public sealed class FeedbackReviewStore(NpgsqlDataSource db)
{
    public const int ExcerptLength = 500;
    public const string AuditReason = "feedback review: excerpts of the rated answer and its question";

    public async Task<FeedbackPage> ListAsync(short? rating, string? bot, int page, int pageSize, string adminUserId, string adminEmail, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var counts = await connection.QuerySingleAsync<(int Helpful, int NotHelpful)>(new CommandDefinition(
            """
            select (count(*) filter (where f.rating = 1))::int, (count(*) filter (where f.rating = 2))::int
            from agent.feedback f join agent.messages a on a.id = f.message_id join agent.conversations c on c.id = a.conversation_id
            where @bot::text is null or c.bot = @bot
            """, new { bot }, tx, cancellationToken: ct));
        var rows = (await connection.QueryAsync<FeedbackReviewRow>(new CommandDefinition(
            """
            select f.message_id, f.rating, f.comment, f.updated_at, c.user_id, c.id as conversation_id, c.bot,
                   coalesce(left(q.content, @cut), '') as question, left(a.content, @cut) as answer,
                   a.model, a.not_covered, a.incomplete, a.created_at as answered_at
            from agent.feedback f
            join agent.messages a on a.id = f.message_id
            join agent.conversations c on c.id = a.conversation_id
            left join agent.messages q on q.conversation_id = a.conversation_id and q.seq = a.seq - 1 and q.role = 'user'
            where (@rating::smallint is null or f.rating = @rating) and (@bot::text is null or c.bot = @bot)
            order by f.updated_at desc, f.message_id desc
            limit @pageSize offset @skip
            """,
            new { rating, bot, pageSize, skip = (long)(page - 1) * pageSize, cut = ExcerptLength + 1 }, tx, cancellationToken: ct))).ToList();
        if (rows.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                insert into agent.admin_access_audit (admin_user_id, admin_email, conversation_id, conversation_user_id, reason)
                select distinct @adminUserId, @adminEmail, c.id, c.user_id, @reason from agent.conversations c where c.id = any(@ids)
                """,
                new { adminUserId, adminEmail, reason = AuditReason, ids = rows.Select(r => r.ConversationId).Distinct().ToArray() }, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        foreach (var row in rows)
        {
            row.Question = Excerpt(row.Question);
            row.Answer = Excerpt(row.Answer);
        }
        var total = rating switch { 1 => counts.Helpful, 2 => counts.NotHelpful, _ => counts.Helpful + counts.NotHelpful };
        return new FeedbackPage(rows, total, counts.Helpful, counts.NotHelpful);
    }

    internal static string Excerpt(string text) => text.Length <= ExcerptLength ? text : text[..(ExcerptLength - 1)].TrimEnd() + "…";
}
