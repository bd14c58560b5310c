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
