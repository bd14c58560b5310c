using Dapper;
using Npgsql;

namespace Genie.Slack.Settings;

/// <summary>A channel's settings; a channel without a row answers, searching everything the asker may read.</summary>
public sealed record ChannelSetting(string ChannelId, string ChannelName, IReadOnlyList<string> KnowledgeBaseIds, bool Silent)
{
    public static ChannelSetting Default(string channelId) => new(channelId, "", [], false);
}

/// <summary><c>slack.channel_settings</c>.</summary>
public sealed class ChannelSettingsStore(NpgsqlDataSource db)
{
    public async Task<IReadOnlyList<ChannelSetting>> ListAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT channel_id, channel_name, knowledge_base_ids, silent FROM slack.channel_settings ORDER BY channel_name, channel_id",
            cancellationToken: ct));
        return rows.Select(r => r.ToSetting()).ToList();
    }

    /// <summary>The settings a question in <paramref name="channelId"/> is answered with.</summary>
    public async Task<ChannelSetting> ForChannelAsync(string channelId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT channel_id, channel_name, knowledge_base_ids, silent FROM slack.channel_settings WHERE channel_id = @channelId",
            new { channelId }, cancellationToken: ct));
        return row?.ToSetting() ?? ChannelSetting.Default(channelId);
    }

    public async Task<ChannelSetting> SaveAsync(ChannelSetting setting, string updatedBy, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO slack.channel_settings (channel_id, channel_name, knowledge_base_ids, silent, updated_by)
            VALUES (@ChannelId, @ChannelName, @ids, @Silent, @updatedBy)
            ON CONFLICT (channel_id) DO UPDATE SET
                channel_name = excluded.channel_name, knowledge_base_ids = excluded.knowledge_base_ids,
                silent = excluded.silent, updated_at = now(), updated_by = excluded.updated_by
            """,
            new { setting.ChannelId, setting.ChannelName, ids = setting.KnowledgeBaseIds.ToArray(), setting.Silent, updatedBy },
            cancellationToken: ct));
        return setting;
    }

    public async Task<bool> DeleteAsync(string channelId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM slack.channel_settings WHERE channel_id = @channelId", new { channelId }, cancellationToken: ct)) == 1;
    }

    private sealed class Row
    {
        public string channel_id { get; init; } = "";
        public string channel_name { get; init; } = "";
        public string[] knowledge_base_ids { get; init; } = [];
        public bool silent { get; init; }

        public ChannelSetting ToSetting() => new(channel_id, channel_name, knowledge_base_ids, silent);
    }
}
