using Dapper;
using Genie.Agent.Gaps;
using Genie.Agent.Prompting;
using Genie.Contracts.Agent.V1;
using Npgsql;

namespace Genie.Agent.Conversations;

/// <summary>What the answering pipeline needs from an existing conversation.</summary>
public sealed record ConversationContext(string Bot, string Summary, IReadOnlyList<ConversationTurn> RecentTurns, string? PreviousQuery)
{
    public static readonly ConversationContext New = new("", "", [], null);
}

/// <summary>Conversations and their messages, citations and feedback. Every read is scoped to its owner.</summary>
public sealed class ConversationStore(NpgsqlDataSource db)
{
    /// <summary>The summary and the last <paramref name="recentMessages"/> messages; null when the user has no such conversation.</summary>
    public async Task<ConversationContext?> LoadContextAsync(Guid conversationId, string userId, int recentMessages, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var conversation = await connection.QuerySingleOrDefaultAsync<ConversationRow>(new CommandDefinition(
            "select * from agent.conversations where id = @conversationId and user_id = @userId",
            new { conversationId, userId }, cancellationToken: ct));
        if (conversation is null) return null;
        var recent = (await connection.QueryAsync<MessageRow>(new CommandDefinition(
            """
            select * from agent.messages
            where conversation_id = @conversationId and seq > @from
            order by seq
            """,
            new { conversationId, from = Math.Max(conversation.MessageCount - recentMessages, conversation.SummarizedThrough) },
            cancellationToken: ct))).ToList();
        var previous = recent.LastOrDefault(m => m.Role == "user");
        return new ConversationContext(
            conversation.Bot,
            conversation.Summary,
            recent.Select(m => new ConversationTurn(m.Role, m.Content)).ToList(),
            previous?.StandaloneQuery ?? previous?.Content);
    }

    /// <summary>Stores a question and its answer (with citations, and the knowledge gap when not covered) in one transaction.</summary>
    public async Task SaveTurnAsync(StoredTurn turn, int recentMessages, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        int count;
        if (turn.IsNewConversation)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "insert into agent.conversations (id, user_id, bot, title) values (@ConversationId, @UserId, @Bot, @Title)",
                turn, tx, cancellationToken: ct));
            count = 0;
        }
        else
        {
            // Locks the conversation row: concurrent turns of one conversation get consecutive numbers.
            count = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                "select message_count from agent.conversations where id = @ConversationId and user_id = @UserId for update",
                turn, tx, cancellationToken: ct));
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into agent.messages (id, conversation_id, seq, role, content, standalone_query)
            values (@UserMessageId, @ConversationId, @userSeq, 'user', @UserMessage, @StandaloneQuery);
            insert into agent.messages (id, conversation_id, seq, role, content, model, input_tokens, output_tokens,
                                        retrieval_ms, generation_ms, incomplete, fallback_reason, not_covered)
            values (@AssistantMessageId, @ConversationId, @assistantSeq, 'assistant', @Answer, @Model, @InputTokens, @OutputTokens,
                    @RetrievalMs, @GenerationMs, @Incomplete, @FallbackReason, @NotCovered);
            update agent.conversations set message_count = @assistantSeq, updated_at = now() where id = @ConversationId;
            """,
            new
            {
                turn.UserMessageId, turn.ConversationId, turn.UserMessage, turn.StandaloneQuery, turn.AssistantMessageId, turn.Answer,
                turn.Model, turn.InputTokens, turn.OutputTokens, turn.RetrievalMs, turn.GenerationMs, turn.Incomplete,
                turn.FallbackReason, turn.NotCovered, userSeq = count + 1, assistantSeq = count + 2,
            }, tx, cancellationToken: ct));

        if (turn.Citations.Count > 0)
        {
            // One round trip for all citations.
            await connection.ExecuteAsync(new CommandDefinition(
                """
                insert into agent.citations (message_id, marker, chunk_id, knowledge_base_id, document_title, uri, heading_path, snippet, source, score)
                select @messageId, * from unnest(@markers, @chunkIds, @kbIds, @titles, @uris, @headings, @snippets, @sources, @scores)
                """,
                new
                {
                    messageId = turn.AssistantMessageId,
                    markers = turn.Citations.Select(c => c.Marker).ToArray(),
                    chunkIds = turn.Citations.Select(c => c.ChunkId).ToArray(),
                    kbIds = turn.Citations.Select(c => c.KnowledgeBaseId).ToArray(),
                    titles = turn.Citations.Select(c => c.DocumentTitle).ToArray(),
                    uris = turn.Citations.Select(c => c.Uri).ToArray(),
                    headings = turn.Citations.Select(c => c.HeadingPath).ToArray(),
                    snippets = turn.Citations.Select(c => c.Snippet).ToArray(),
                    sources = turn.Citations.Select(c => c.Source).ToArray(),
                    scores = turn.Citations.Select(c => c.Score).ToArray(),
                }, tx, cancellationToken: ct));
        }

        if (turn.NotCovered && !turn.Incomplete)
            await KnowledgeGapStore.RecordAsync(connection, tx, turn.UserId, turn.Team, turn.Bot, turn.StandaloneQuery, turn.ConversationId, ct);

        await FoldIntoSummaryAsync(connection, tx, turn.ConversationId, count + 2, recentMessages, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Messages that left the recent window are folded into the conversation's rolling summary.</summary>
    private static async Task FoldIntoSummaryAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid conversationId, int count, int recentMessages, CancellationToken ct)
    {
        if (count <= recentMessages) return;
        var state = await connection.QuerySingleAsync<(string Summary, int SummarizedThrough)>(new CommandDefinition(
            "select summary, summarized_through from agent.conversations where id = @conversationId",
            new { conversationId }, tx, cancellationToken: ct));
        var foldThrough = count - recentMessages;
        if (foldThrough <= state.SummarizedThrough) return;
        var leaving = await connection.QueryAsync<MessageRow>(new CommandDefinition(
            "select * from agent.messages where conversation_id = @conversationId and seq > @from and seq <= @to order by seq",
            new { conversationId, from = state.SummarizedThrough, to = foldThrough }, tx, cancellationToken: ct));
        var summary = RollingSummary.Fold(state.Summary, leaving.Select(m => new ConversationTurn(m.Role, m.Content)));
        await connection.ExecuteAsync(new CommandDefinition(
            "update agent.conversations set summary = @summary, summarized_through = @foldThrough where id = @conversationId",
            new { conversationId, summary, foldThrough }, tx, cancellationToken: ct));
    }

    public async Task<(IReadOnlyList<ConversationRow> Page, string NextPageToken)> ListAsync(
        string userId, string? bot, int pageSize, PageToken? after, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<ConversationRow>(new CommandDefinition(
            """
            select * from agent.conversations
            where user_id = @userId
              and (@bot::text is null or bot = @bot)
              and (@afterTime::timestamptz is null or (updated_at, id) < (@afterTime, @afterId))
            order by updated_at desc, id desc
            limit @take
            """,
            new { userId, bot, afterTime = after?.UpdatedAt, afterId = after?.Id ?? Guid.Empty, take = pageSize + 1 },
            cancellationToken: ct))).ToList();
        if (rows.Count <= pageSize) return (rows, "");
        rows.RemoveAt(rows.Count - 1);
        return (rows, new PageToken(rows[^1].UpdatedAt, rows[^1].Id).Encode());
    }

    /// <summary>The conversation with everything in it; <paramref name="userId"/> null reads any user's (the audited admin path).</summary>
    public async Task<Conversation?> GetAsync(Guid conversationId, string? userId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<ConversationRow>(new CommandDefinition(
            "select * from agent.conversations where id = @conversationId and (@userId::text is null or user_id = @userId)",
            new { conversationId, userId }, cancellationToken: ct));
        if (row is null) return null;
        var messages = await connection.QueryAsync<MessageRow>(new CommandDefinition(
            "select * from agent.messages where conversation_id = @conversationId order by seq", new { conversationId }, cancellationToken: ct));
        var citations = (await connection.QueryAsync<CitationRow>(new CommandDefinition(
            """
            select c.* from agent.citations c join agent.messages m on m.id = c.message_id
            where m.conversation_id = @conversationId
            """, new { conversationId }, cancellationToken: ct))).ToLookup(c => c.MessageId);
        var feedback = (await connection.QueryAsync<FeedbackRow>(new CommandDefinition(
            """
            select f.* from agent.feedback f join agent.messages m on m.id = f.message_id
            where m.conversation_id = @conversationId
            """, new { conversationId }, cancellationToken: ct))).ToDictionary(f => f.MessageId);

        var conversation = new Conversation { Summary = row.ToSummary(), UserId = row.UserId };
        conversation.Messages.AddRange(messages.Select(m => m.ToMessage(citations[m.Id], feedback.GetValueOrDefault(m.Id))));
        return conversation;
    }

    public async Task<ConversationRow?> RenameAsync(Guid conversationId, string userId, string title, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<ConversationRow>(new CommandDefinition(
            "update agent.conversations set title = @title where id = @conversationId and user_id = @userId returning *",
            new { conversationId, userId, title }, cancellationToken: ct));
    }

    public async Task<bool> DeleteAsync(Guid conversationId, string userId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "delete from agent.conversations where id = @conversationId and user_id = @userId",
            new { conversationId, userId }, cancellationToken: ct)) == 1;
    }

    /// <summary>Records that an admin read someone's conversation, and why; in the same transaction as nothing else, before the read.</summary>
    public async Task<string?> AuditAdminAccessAsync(Guid conversationId, string adminUserId, string adminEmail, string reason, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            """
            insert into agent.admin_access_audit (admin_user_id, admin_email, conversation_id, conversation_user_id, reason)
            select @adminUserId, @adminEmail, id, user_id, @reason from agent.conversations where id = @conversationId
            returning conversation_user_id
            """,
            new { conversationId, adminUserId, adminEmail, reason }, cancellationToken: ct));
    }
}

/// <summary>One question and its answer, ready to store.</summary>
public sealed record StoredTurn(
    Guid ConversationId,
    bool IsNewConversation,
    string UserId,
    string Bot,
    string Title,
    Guid UserMessageId,
    string UserMessage,
    string StandaloneQuery,
    Guid AssistantMessageId,
    string Answer,
    string Model,
    int? InputTokens,
    int? OutputTokens,
    long RetrievalMs,
    long GenerationMs,
    bool Incomplete,
    string? FallbackReason,
    bool NotCovered,
    IReadOnlyList<Citation> Citations,
    string? Team);
