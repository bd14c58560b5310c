using Dapper;
using Genie.Contracts.Retrieval.V1;
using Google.Protobuf;
using Npgsql;

namespace Genie.Retrieval.Sources;

/// <summary>Sources of knowledge bases; their config is stored as protobuf JSON without secrets.</summary>
public sealed class SourceStore(NpgsqlDataSource db)
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(false));
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    private const string SelectSql = """
        SELECT s.id, s.kb_id, s.name, s.kind, s.config::text AS config, s.secrets, s.secret_names, s.sync_interval_minutes,
               s.next_sync_at, s.status, s.last_synced_at, s.last_error,
               (SELECT count(*) FROM retrieval.documents d WHERE d.source_id = s.id)::int AS document_count
        FROM retrieval.sources s
        """;

    public async Task<SourceRecord?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(SelectSql + " WHERE s.id = @id", new { id }, cancellationToken: ct));
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<SourceRecord>> ListAsync(Guid kbId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(SelectSql + " WHERE s.kb_id = @kbId ORDER BY s.created_at", new { kbId }, cancellationToken: ct));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    /// <summary>Sources whose scheduled re-sync is due, oldest first.</summary>
    public async Task<IReadOnlyList<Guid>> DueAsync(int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<Guid>(new CommandDefinition(
            "SELECT id FROM retrieval.sources WHERE next_sync_at <= now() AND sync_interval_minutes > 0 ORDER BY next_sync_at LIMIT @limit",
            new { limit }, cancellationToken: ct))).ToList();
    }

    /// <param name="id">The new source's id (<see cref="Guid.CreateVersion7()"/>), chosen first because its secrets are sealed to it.</param>
    public async Task AddAsync(Guid id, Guid kbId, string name, SourceConfig config, byte[]? secrets, IReadOnlyList<string> secretNames,
        int intervalMinutes, string createdBy, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO retrieval.sources (id, kb_id, name, kind, config, secrets, secrets_legacy, secret_names, sync_interval_minutes, next_sync_at, created_by)
            VALUES (@id, @kbId, @name, @kind, @config::jsonb, @secrets, false, @secretNames, @intervalMinutes,
                    CASE WHEN @intervalMinutes > 0 THEN now() + make_interval(mins => @intervalMinutes) END, @createdBy)
            """, new { id, kbId, name, kind = SourceKinds.Of(config), config = Formatter.Format(WithoutSecrets(config)), secrets, secretNames = secretNames.ToArray(), intervalMinutes, createdBy },
            cancellationToken: ct));
    }

    public async Task UpdateAsync(Guid id, string name, SourceConfig config, byte[]? secrets, IReadOnlyList<string> secretNames, int intervalMinutes, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE retrieval.sources
            SET name = @name, config = @config::jsonb, secrets = @secrets, secret_names = @secretNames,
                secrets_legacy = secrets_legacy AND secrets IS NOT DISTINCT FROM @secrets,
                next_sync_at = CASE WHEN @intervalMinutes = 0 THEN NULL
                                    WHEN sync_interval_minutes = @intervalMinutes AND next_sync_at IS NOT NULL THEN next_sync_at
                                    ELSE now() + make_interval(mins => @intervalMinutes) END,
                sync_interval_minutes = @intervalMinutes, updated_at = now()
            WHERE id = @id
            """, new { id, name, config = Formatter.Format(WithoutSecrets(config)), secrets, secretNames = secretNames.ToArray(), intervalMinutes },
            cancellationToken: ct));
    }

    public async Task<int> RemoveAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var documents = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*)::int FROM retrieval.documents WHERE source_id = @id", new { id }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM retrieval.sources WHERE id = @id", new { id }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return documents;
    }

    public static SourceConfig WithoutSecrets(SourceConfig config)
    {
        var copy = config.Clone();
        copy.Mcp?.Secrets.Clear();
        return copy;
    }

    private sealed class Row
    {
        public Guid Id { get; set; }
        public Guid KbId { get; set; }
        public string Name { get; set; } = null!;
        public string Kind { get; set; } = null!;
        public string Config { get; set; } = null!;
        public byte[]? Secrets { get; set; }
        public string[] SecretNames { get; set; } = null!;
        public int SyncIntervalMinutes { get; set; }
        public DateTime? NextSyncAt { get; set; }
        public string Status { get; set; } = null!;
        public DateTime? LastSyncedAt { get; set; }
        public string LastError { get; set; } = null!;
        public int DocumentCount { get; set; }

        public SourceRecord ToRecord() => new(Id, KbId, Name, Kind, Parser.Parse<SourceConfig>(Config), Secrets, SecretNames,
            SyncIntervalMinutes, Utc(NextSyncAt), Status, Utc(LastSyncedAt), LastError, DocumentCount);

        private static DateTimeOffset? Utc(DateTime? value) => value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
    }
}
