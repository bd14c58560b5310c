using Npgsql;

namespace Genie.Faults.Tests.Dependencies;

/// <summary>What the Agent's schema holds, read with SQL (not through the service under test).</summary>
internal static class StoredMessages
{
    public static async Task<long> CountAsync(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Each completed chat (a new conversation each) is stored exactly once: its question and its whole answer. A chat
    /// whose stream broke left nothing, or its whole turn (question and answer, marked incomplete when cut short);
    /// never a question without its answer. No orphan rows anywhere in the Agent's schema.
    /// </summary>
    public static async Task AssertEveryTurnWholeAsync(string connectionString, Guid[] completed, Guid[] broken)
    {
        Assert.Equal(completed.Length, completed.Distinct().Count());
        Assert.Equal(completed.Length * 2L, await CountAsync(connectionString,
            "select count(*) from agent.messages where conversation_id = any(@ids) and (role = 'user' or not incomplete)", ("ids", completed)));
        Assert.Equal(completed.Length, await CountAsync(connectionString,
            "select count(*) from agent.conversations where id = any(@ids) and message_count = 2", ("ids", completed)));
        Assert.Equal(0, await CountAsync(connectionString,
            "select count(*) from (select conversation_id from agent.messages where conversation_id = any(@ids) group by conversation_id having count(*) <> 2) half",
            ("ids", broken)));
        Assert.Equal(0, await CountAsync(connectionString,
            """
            select (select count(*) from agent.conversations c where c.message_count <> (select count(*) from agent.messages m where m.conversation_id = c.id))
                 + (select count(*) from agent.messages m where not exists (select 1 from agent.conversations c where c.id = m.conversation_id))
                 + (select count(*) from agent.citations x where not exists (select 1 from agent.messages m where m.id = x.message_id))
            """));
    }

    /// <summary>The assistant message of one conversation: content, incomplete flag and fallback reason.</summary>
    public static async Task<(string Content, bool Incomplete, string? FallbackReason)> AnswerAsync(string connectionString, Guid conversationId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select content, incomplete, fallback_reason from agent.messages where conversation_id = @id and role = 'assistant'", connection);
        command.Parameters.AddWithValue("id", conversationId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"conversation {conversationId} has no stored answer");
        var answer = (reader.GetString(0), reader.GetBoolean(1), reader.IsDBNull(2) ? null : reader.GetString(2));
        Assert.False(await reader.ReadAsync(), $"conversation {conversationId} has more than one stored answer");
        return answer;
    }
}
