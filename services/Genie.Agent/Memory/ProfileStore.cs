using Dapper;
using Genie.Contracts.Agent.V1;
using Genie.ServiceDefaults.Database;
using Npgsql;
using NpgsqlTypes;

namespace Genie.Agent.Memory;

/// <summary>Per-user preferences and learned facts (schema agent).</summary>
public sealed class ProfileStore(NpgsqlDataSource db)
{
    private sealed class PreferencesRow
    {
        public short AnswerLength { get; set; }
        public string? Tone { get; set; }
        public string? Language { get; set; }
        public string? RoleTeam { get; set; }
        public string? Level { get; set; }
        public DateTime UpdatedAt { get; set; }
    }

    public sealed class FactRow
    {
        public Guid Id { get; set; }
        public string Kind { get; set; } = "";
        public string Text { get; set; } = "";
        public Guid? ConversationId { get; set; }
        public DateTime LearnedAt { get; set; }
    }

    /// <summary>Selects the user's preferences and learned facts (parameter <c>@userId</c>); read with <see cref="ReadProfileAsync"/>.</summary>
    internal const string SelectProfileSql = """
        select answer_length, tone, language, role_team, level, updated_at from agent.preferences where user_id = @userId;
        select id, kind, text, conversation_id, learned_at from agent.learned_facts where user_id = @userId order by learned_at, id;
        """;

    internal static async Task<UserProfile> ReadProfileAsync(SqlMapper.GridReader results)
    {
        var prefs = await results.ReadSingleOrDefaultAsync<PreferencesRow>();
        var facts = await results.ReadAsync<FactRow>();
        return new UserProfile(ToDomain(prefs), facts.Select(f => new FactEntry(f.Kind, f.Text)).ToList());
    }

    /// <summary>
    /// The statements that keep what a message taught (preferences it stated, facts not known yet), for the batch
    /// that stores the turn it came from.
    /// </summary>
    internal static IEnumerable<NpgsqlBatchCommand> RememberCommands(string userId, ExtractedMemory memory, Guid conversationId)
    {
        if (memory.Length is not null || memory.Tone is not null || memory.Language is not null || memory.RoleTeam is not null || memory.Level is not null)
        {
            yield return SqlBatch.Command(
                """
                insert into agent.preferences (user_id, answer_length, tone, language, role_team, level)
                values (@userId, coalesce(@length, 0), @tone, @language, @roleTeam, @level)
                on conflict (user_id) do update set
                    answer_length = coalesce(@length, agent.preferences.answer_length),
                    tone = coalesce(@tone, agent.preferences.tone),
                    language = coalesce(@language, agent.preferences.language),
                    role_team = coalesce(@roleTeam, agent.preferences.role_team),
                    level = coalesce(@level, agent.preferences.level),
                    updated_at = now()
                """,
                SqlBatch.Value("userId", userId), SqlBatch.Value("length", (short?)memory.Length, NpgsqlDbType.Smallint),
                SqlBatch.Value("tone", memory.Tone, NpgsqlDbType.Text), SqlBatch.Value("language", memory.Language, NpgsqlDbType.Text),
                SqlBatch.Value("roleTeam", memory.RoleTeam, NpgsqlDbType.Text), SqlBatch.Value("level", memory.Level, NpgsqlDbType.Text));
        }
        if (memory.Facts.Count > 0)
        {
            yield return SqlBatch.Command(
                """
                insert into agent.learned_facts (id, user_id, kind, text, conversation_id)
                select id, @userId, kind, text, @conversationId from unnest(@ids, @kinds, @texts) as f (id, kind, text)
                on conflict (user_id, lower(text)) do nothing
                """,
                SqlBatch.Value("userId", userId), SqlBatch.Value("conversationId", conversationId),
                SqlBatch.Value("ids", memory.Facts.Select(_ => Guid.CreateVersion7()).ToArray()),
                SqlBatch.Value("kinds", memory.Facts.Select(f => f.Kind).ToArray()),
                SqlBatch.Value("texts", memory.Facts.Select(f => f.Text).ToArray()));
        }
    }

    public async Task<Preferences> GetPreferencesAsync(string userId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return ToProto(await ReadPreferencesAsync(connection, userId, ct));
    }

    /// <summary>Sets the named fields (empty strings clear them).</summary>
    public async Task<Preferences> SetPreferencesAsync(string userId, Preferences value, IReadOnlySet<string> fields, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into agent.preferences (user_id) values (@userId) on conflict (user_id) do nothing;
            update agent.preferences set
                answer_length = case when @setLength then @length else answer_length end,
                tone = case when @setTone then @tone else tone end,
                language = case when @setLanguage then @language else language end,
                role_team = case when @setRoleTeam then @roleTeam else role_team end,
                level = case when @setLevel then @level else level end,
                updated_at = now()
            where user_id = @userId
            """,
            new
            {
                userId,
                setLength = fields.Contains("answer_length"), length = (short)value.AnswerLength,
                setTone = fields.Contains("tone"), tone = NullIfEmpty(value.Tone),
                setLanguage = fields.Contains("language"), language = NullIfEmpty(value.Language),
                setRoleTeam = fields.Contains("role_team"), roleTeam = NullIfEmpty(value.RoleTeam),
                setLevel = fields.Contains("level"), level = NullIfEmpty(value.Level),
            }, cancellationToken: ct));
        return ToProto(await ReadPreferencesAsync(connection, userId, ct));
    }

    public async Task<IReadOnlyList<FactRow>> ListFactsAsync(string userId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<FactRow>(new CommandDefinition(
            "select * from agent.learned_facts where user_id = @userId order by learned_at, id", new { userId }, cancellationToken: ct))).ToList();
    }

    public async Task<bool> DeleteFactAsync(string userId, Guid factId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "delete from agent.learned_facts where id = @factId and user_id = @userId", new { factId, userId }, cancellationToken: ct)) == 1;
    }

    private static async Task<PreferencesRow?> ReadPreferencesAsync(NpgsqlConnection connection, string userId, CancellationToken ct) =>
        await connection.QuerySingleOrDefaultAsync<PreferencesRow>(new CommandDefinition(
            "select * from agent.preferences where user_id = @userId", new { userId }, cancellationToken: ct));

    private static UserPreferences ToDomain(PreferencesRow? row) => row is null
        ? UserPreferences.None
        : new UserPreferences((AnswerLength)row.AnswerLength, row.Tone, row.Language, row.RoleTeam, row.Level);

    private static Preferences ToProto(PreferencesRow? row)
    {
        var prefs = new Preferences();
        if (row is null) return prefs;
        prefs.AnswerLength = (AnswerLength)row.AnswerLength;
        prefs.Tone = row.Tone ?? "";
        prefs.Language = row.Language ?? "";
        prefs.RoleTeam = row.RoleTeam ?? "";
        prefs.Level = row.Level ?? "";
        prefs.UpdatedAt = Conversations.ConversationMapping.Utc(row.UpdatedAt);
        return prefs;
    }

    private static string? NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
