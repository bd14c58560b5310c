using Dapper;
using Genie.Contracts.Agent.V1;
using Npgsql;

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

    public async Task<UserProfile> LoadAsync(string userId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            """
            select * from agent.preferences where user_id = @userId;
            select * from agent.learned_facts where user_id = @userId order by learned_at, id;
            """, new { userId }, cancellationToken: ct));
        var prefs = await results.ReadSingleOrDefaultAsync<PreferencesRow>();
        var facts = await results.ReadAsync<FactRow>();
        return new UserProfile(ToDomain(prefs), facts.Select(f => new FactEntry(f.Kind, f.Text)).ToList());
    }

    /// <summary>Keeps what a message taught: preferences it stated and facts not known yet.</summary>
    public async Task RememberAsync(string userId, ExtractedMemory memory, Guid conversationId, CancellationToken ct)
    {
        if (memory.IsEmpty) return;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (memory.Length is not null || memory.Tone is not null || memory.Language is not null || memory.RoleTeam is not null || memory.Level is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                insert into agent.preferences (user_id, answer_length, tone, language, role_team, level)
                values (@userId, coalesce(@length, 0), @Tone, @Language, @RoleTeam, @Level)
                on conflict (user_id) do update set
                    answer_length = coalesce(@length, agent.preferences.answer_length),
                    tone = coalesce(@Tone, agent.preferences.tone),
                    language = coalesce(@Language, agent.preferences.language),
                    role_team = coalesce(@RoleTeam, agent.preferences.role_team),
                    level = coalesce(@Level, agent.preferences.level),
                    updated_at = now()
                """,
                new { userId, length = (short?)memory.Length, memory.Tone, memory.Language, memory.RoleTeam, memory.Level },
                tx, cancellationToken: ct));
        }
        foreach (var fact in memory.Facts)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                insert into agent.learned_facts (id, user_id, kind, text, conversation_id)
                values (@id, @userId, @Kind, @Text, @conversationId)
                on conflict (user_id, lower(text)) do nothing
                """,
                new { id = Guid.CreateVersion7(), userId, fact.Kind, fact.Text, conversationId }, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
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
