using Dapper;
using Genie.Agent.Text;
using Genie.ServiceDefaults.Database;
using Npgsql;
using NpgsqlTypes;

namespace Genie.Agent.Gaps;

/// <summary>Questions the documentation did not cover: what to write next.</summary>
public sealed class KnowledgeGapStore(NpgsqlDataSource db)
{
    /// <summary>The most recent gaps read for grouping; older ones beyond this are left out of one listing.</summary>
    public const int MaxQuestionsPerListing = 5000;

    private sealed class GapRow
    {
        public string Question { get; set; } = "";
        public string[] Terms { get; set; } = [];
        public string UserId { get; set; } = "";
        public string? Team { get; set; }
        public DateTime AskedAt { get; set; }
    }

    /// <summary>The statement that records a gap, for the batch that stores the turn it came from.</summary>
    internal static NpgsqlBatchCommand RecordCommand(string userId, string? team, string bot, string question, Guid conversationId) =>
        SqlBatch.Command(
            """
            insert into agent.knowledge_gaps (id, user_id, team, bot, question, terms, conversation_id)
            values (@id, @userId, @team, @bot, @question, @terms, @conversationId)
            """,
            SqlBatch.Value("id", Guid.CreateVersion7()), SqlBatch.Value("userId", userId), SqlBatch.Value("team", team, NpgsqlDbType.Text),
            SqlBatch.Value("bot", bot), SqlBatch.Value("question", question),
            SqlBatch.Value("terms", Terms.SetOf(question).Order(StringComparer.Ordinal).ToArray()), SqlBatch.Value("conversationId", conversationId));

    public async Task<IReadOnlyList<GapGroup>> ListGroupsAsync(DateTime since, string? bot, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<GapRow>(new CommandDefinition(
            """
            select question, terms, user_id, team, asked_at from agent.knowledge_gaps
            where asked_at >= @since and (@bot::text is null or bot = @bot)
            order by asked_at desc
            limit @limit
            """,
            new { since, bot, limit = MaxQuestionsPerListing }, cancellationToken: ct));
        return GapGrouper.Group(rows.Select(r => new GapQuestion(r.Question, r.Terms, r.UserId, r.Team, r.AskedAt)));
    }
}
