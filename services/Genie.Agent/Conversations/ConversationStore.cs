using Dapper;
using Genie.Agent.Gaps;
using Genie.Agent.Memory;
using Genie.Agent.Prompting;
using Genie.Contracts.Agent.V1;
using Genie.ServiceDefaults.Database;
using Npgsql;
using NpgsqlTypes;

namespace Genie.Agent.Conversations;

/// <summary>What the answering pipeline needs from an existing conversation.</summary>
public sealed record ConversationContext(string Bot, string Summary, IReadOnlyList<ConversationTurn> RecentTurns, string? PreviousQuery, ConversationWindow Window)
{
    public static readonly ConversationContext New = new("", "", [], null, ConversationWindow.Empty);
}

/// <summary>Everything a turn starts from; <see cref="Conversation"/> is null when the user has no such conversation.</summary>
public sealed record TurnContext(ConversationContext? Conversation, UserProfile Profile);

/// <summary>Conversations and their messages, citations and feedback. Every read is scoped to its owner.</summary>
public sealed class ConversationStore(NpgsqlDataSource db)
{
    private sealed class WindowMessage
    {
        public int Seq { get; set; }
        public string Role { get; set; } = "";
        public string Content { get; set; } = "";
        public string? StandaloneQuery { get; set; }
    }

    /// <summary>
    /// In one round trip: the user's profile and, when continuing <paramref name="conversationId"/>, its rolling summary
    /// and unsummarized messages, shown to the prompt as the summary plus the last <paramref name="recentMessages"/>.
    /// </summary>
    public async Task<TurnContext> LoadTurnContextAsync(Guid? conversationId, string userId, int recentMessages, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        if (conversationId is null)
        {
            await using var profileOnly = await connection.QueryMultipleAsync(new CommandDefinition(ProfileStore.SelectProfileSql, new { userId }, cancellationToken: ct));
            return new TurnContext(ConversationContext.New, await ProfileStore.ReadProfileAsync(profileOnly));
        }

        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            """
            select bot, summary, summarized_through, message_count from agent.conversations where id = @conversationId and user_id = @userId;
            select m.seq, m.role, m.content, m.standalone_query
            from agent.messages m join agent.conversations c on c.id = m.conversation_id
            where c.id = @conversationId and c.user_id = @userId and m.seq > c.summarized_through
            order by m.seq;
            """ + ProfileStore.SelectProfileSql,
            new { conversationId, userId }, cancellationToken: ct));
        var conversation = await results.ReadSingleOrDefaultAsync<ConversationRow>();
        var messages = (await results.ReadAsync<WindowMessage>()).ToList();
        var profile = await ProfileStore.ReadProfileAsync(results);
        if (conversation is null) return new TurnContext(null, profile);

        // Each statement sees its own snapshot: keep exactly the messages the conversation row says are unsummarized.
        var unsummarized = messages.Where(m => m.Seq > conversation.SummarizedThrough && m.Seq <= conversation.MessageCount).ToList();
        var window = new ConversationWindow(conversation.MessageCount, conversation.Summary, conversation.SummarizedThrough,
            unsummarized.Select(m => new ConversationTurn(m.Role, m.Content)).ToList());
        var (summary, recent) = window.View(recentMessages);
        var previous = unsummarized.LastOrDefault(m => m.Role == "user");
        return new TurnContext(
            new ConversationContext(conversation.Bot, summary, recent, previous?.StandaloneQuery ?? previous?.Content, window),
            profile);
    }

    /// <summary>
    /// Stores a question and its answer with their citations, the knowledge gap when not covered, what the question
    /// taught about the user, and the rolling summary moved past the recent window: one batch, one round trip, all or
    /// nothing. False when the conversation was deleted while the answer was being written.
    /// </summary>
    public async Task<bool> SaveTurnAsync(StoredTurn turn, int recentMessages, CancellationToken ct)
    {
        var (summary, through) = turn.Window.FoldAfter(
            new ConversationTurn("user", turn.UserMessage), new ConversationTurn("assistant", turn.Answer), recentMessages);
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(connection);
        var messages = turn.IsNewConversation ? NewConversationCommands(turn, summary, through, batch) : NextTurnCommand(turn, summary, through, batch);

        if (turn.Citations.Count > 0)
        {
            batch.BatchCommands.Add(SqlBatch.Command(
                """
                insert into agent.citations (message_id, marker, chunk_id, knowledge_base_id, document_title, uri, heading_path, snippet, source, score)
                select @messageId, * from unnest(@markers, @chunkIds, @kbIds, @titles, @uris, @headings, @snippets, @sources, @scores)
                """,
                SqlBatch.Value("messageId", turn.AssistantMessageId),
                SqlBatch.Value("markers", turn.Citations.Select(c => c.Marker).ToArray()),
                SqlBatch.Value("chunkIds", turn.Citations.Select(c => c.ChunkId).ToArray()),
                SqlBatch.Value("kbIds", turn.Citations.Select(c => c.KnowledgeBaseId).ToArray()),
                SqlBatch.Value("titles", turn.Citations.Select(c => c.DocumentTitle).ToArray()),
                SqlBatch.Value("uris", turn.Citations.Select(c => c.Uri).ToArray()),
                SqlBatch.Value("headings", turn.Citations.Select(c => c.HeadingPath).ToArray()),
                SqlBatch.Value("snippets", turn.Citations.Select(c => c.Snippet).ToArray()),
                SqlBatch.Value("sources", turn.Citations.Select(c => c.Source).ToArray()),
                SqlBatch.Value("scores", turn.Citations.Select(c => c.Score).ToArray())));
        }
        if (turn.NotCovered && !turn.Incomplete)
            batch.BatchCommands.Add(KnowledgeGapStore.RecordCommand(turn.UserId, turn.Team, turn.Bot, turn.StandaloneQuery, turn.ConversationId));
        foreach (var command in ProfileStore.RememberCommands(turn.UserId, turn.Memory, turn.ConversationId))
            batch.BatchCommands.Add(command);

        await batch.ExecuteNonQueryAsync(ct);
        return messages.RecordsAffected == 2;
    }

    private static NpgsqlBatchCommand NewConversationCommands(StoredTurn turn, string summary, int through, NpgsqlBatch batch)
    {
        batch.BatchCommands.Add(SqlBatch.Command(
            """
            insert into agent.conversations (id, user_id, bot, title, summary, summarized_through, message_count)
            values (@conversationId, @userId, @bot, @title, @summary, @through, 2)
            """,
            SqlBatch.Value("conversationId", turn.ConversationId), SqlBatch.Value("userId", turn.UserId), SqlBatch.Value("bot", turn.Bot),
            SqlBatch.Value("title", turn.Title), SqlBatch.Value("summary", summary), SqlBatch.Value("through", through)));
        var messages = SqlBatch.Command(
            """
            insert into agent.messages (id, conversation_id, seq, role, content, standalone_query, model, input_tokens, output_tokens,
                                        retrieval_ms, generation_ms, incomplete, fallback_reason, not_covered)
            values (@userMessageId, @conversationId, 1, 'user', @userMessage, @standaloneQuery, null, null, null, null, null, false, null, false),
                   (@assistantMessageId, @conversationId, 2, 'assistant', @answer, null, @model, @inputTokens, @outputTokens,
                    @retrievalMs, @generationMs, @incomplete, @fallbackReason, @notCovered)
            """,
            MessageParameters(turn));
        batch.BatchCommands.Add(messages);
        return messages;
    }

    /// <summary>
    /// Numbers the turn's messages after the conversation's last one; the update locks the row, so concurrent turns of
    /// one conversation get consecutive numbers. The summary moves on only if no other turn came in since the load.
    /// </summary>
    private static NpgsqlBatchCommand NextTurnCommand(StoredTurn turn, string summary, int through, NpgsqlBatch batch)
    {
        var parameters = MessageParameters(turn).Concat(
        [
            SqlBatch.Value("userId", turn.UserId), SqlBatch.Value("summary", summary), SqlBatch.Value("through", through),
            SqlBatch.Value("loadedCount", turn.Window.MessageCount),
        ]).ToArray();
        var messages = SqlBatch.Command(
            """
            with c as (
                update agent.conversations set
                    message_count = message_count + 2,
                    updated_at = now(),
                    summary = case when message_count = @loadedCount then @summary else summary end,
                    summarized_through = case when message_count = @loadedCount then @through else summarized_through end
                where id = @conversationId and user_id = @userId
                returning message_count)
            insert into agent.messages (id, conversation_id, seq, role, content, standalone_query, model, input_tokens, output_tokens,
                                        retrieval_ms, generation_ms, incomplete, fallback_reason, not_covered)
            select @userMessageId, @conversationId, c.message_count - 1, 'user', @userMessage, @standaloneQuery,
                   null, null, null, null, null, false, null, false from c
            union all
            select @assistantMessageId, @conversationId, c.message_count, 'assistant', @answer, null,
                   @model, @inputTokens, @outputTokens, @retrievalMs, @generationMs, @incomplete, @fallbackReason, @notCovered from c
            """,
            parameters);
        batch.BatchCommands.Add(messages);
        return messages;
    }

    private static NpgsqlParameter[] MessageParameters(StoredTurn turn) =>
    [
        SqlBatch.Value("conversationId", turn.ConversationId),
        SqlBatch.Value("userMessageId", turn.UserMessageId),
        SqlBatch.Value("userMessage", turn.UserMessage, NpgsqlDbType.Text),
        SqlBatch.Value("standaloneQuery", turn.StandaloneQuery, NpgsqlDbType.Text),
        SqlBatch.Value("assistantMessageId", turn.AssistantMessageId),
        SqlBatch.Value("answer", turn.Answer, NpgsqlDbType.Text),
        SqlBatch.Value("model", turn.Model, NpgsqlDbType.Text),
        SqlBatch.Value("inputTokens", turn.InputTokens, NpgsqlDbType.Integer),
        SqlBatch.Value("outputTokens", turn.OutputTokens, NpgsqlDbType.Integer),
        SqlBatch.Value("retrievalMs", turn.RetrievalMs, NpgsqlDbType.Bigint),
        SqlBatch.Value("generationMs", turn.GenerationMs, NpgsqlDbType.Bigint),
        SqlBatch.Value("incomplete", turn.Incomplete, NpgsqlDbType.Boolean),
        SqlBatch.Value("fallbackReason", turn.FallbackReason, NpgsqlDbType.Text),
        SqlBatch.Value("notCovered", turn.NotCovered, NpgsqlDbType.Boolean),
    ];

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
    string? Team,
    ConversationWindow Window,
    ExtractedMemory Memory);
