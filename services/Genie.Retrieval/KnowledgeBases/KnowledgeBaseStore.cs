using Dapper;
using Genie.Retrieval.Embeddings;
using Genie.ServiceDefaults.Auth;
using Npgsql;

namespace Genie.Retrieval.KnowledgeBases;

/// <summary>Knowledge bases and their grants in <c>retrieval.knowledge_bases</c> / <c>kb_grants</c>.</summary>
public sealed class KnowledgeBaseStore(NpgsqlDataSource db, AccessPolicy policy)
{
    private const string SelectSql = """
        SELECT kb.id, kb.name, kb.description, kb.embedder_provider, kb.embedder_model, kb.dimension, kb.created_by,
               kb.created_at, kb.updated_at,
               coalesce((SELECT array_agg(principal ORDER BY principal) FROM retrieval.kb_grants g WHERE g.kb_id = kb.id AND g.principal_kind = 'user'), '{}') AS granted_users,
               coalesce((SELECT array_agg(principal ORDER BY principal) FROM retrieval.kb_grants g WHERE g.kb_id = kb.id AND g.principal_kind = 'role'), '{}') AS granted_roles,
               (SELECT count(*) FROM retrieval.sources s WHERE s.kb_id = kb.id)::int AS source_count,
               (SELECT count(*) FROM retrieval.documents d WHERE d.kb_id = kb.id)::int AS document_count,
               (SELECT coalesce(sum(d.chunk_count), 0) FROM retrieval.documents d WHERE d.kb_id = kb.id)::int AS chunk_count,
               kb.next_embedder_provider, kb.next_embedder_model, kb.next_dimension, kb.switch_state, kb.switch_error, kb.switch_started_at,
               CASE WHEN kb.switch_state IS NOT NULL THEN
                   (SELECT count(*) FROM retrieval.chunks c WHERE c.kb_id = kb.id AND c.next_embedding IS NOT NULL)::int END AS switch_chunks_done,
               CASE WHEN kb.switch_state IS NOT NULL THEN
                   (SELECT count(*) FROM retrieval.chunks c WHERE c.kb_id = kb.id)::int END AS switch_chunks_total
        FROM retrieval.knowledge_bases kb
        """;

    public async Task<KnowledgeBaseRecord?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(SelectSql + " WHERE kb.id = @id", new { id }, cancellationToken: ct));
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<KnowledgeBaseRecord>> ListReadableAsync(CallerIdentity caller, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"{SelectSql} WHERE {policy.ReadableSql(caller)} ORDER BY lower(kb.name)",
            new { user_id = caller.UserId, role = caller.Role }, cancellationToken: ct));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    /// <summary>Of <paramref name="ids"/> (all when null), those the caller may read, with their embedders.</summary>
    public async Task<IReadOnlyList<(Guid Id, EmbedderChoice Embedder)>> ReadableEmbeddersAsync(CallerIdentity caller, IReadOnlyList<Guid>? ids, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var filter = ids is null ? "" : " AND kb.id = ANY(@ids)";
        var rows = await connection.QueryAsync<(Guid Id, string Provider, string Model, int Dimension)>(new CommandDefinition(
            $"SELECT kb.id, kb.embedder_provider, kb.embedder_model, kb.dimension FROM retrieval.knowledge_bases kb WHERE {policy.ReadableSql(caller)}{filter}",
            new { user_id = caller.UserId, role = caller.Role, ids = ids?.ToArray() }, cancellationToken: ct));
        return rows.Select(r => (r.Id, new EmbedderChoice(r.Provider, r.Model, r.Dimension))).ToList();
    }

    public async Task<IReadOnlyList<Guid>> ExistingAsync(IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<Guid>(new CommandDefinition(
            "SELECT id FROM retrieval.knowledge_bases WHERE id = ANY(@ids)", new { ids = ids.ToArray() }, cancellationToken: ct))).ToList();
    }

    public async Task<Guid> CreateAsync(string name, string description, EmbedderChoice embedder, string createdBy,
        IReadOnlyList<string> users, IReadOnlyList<string> roles, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO retrieval.knowledge_bases (id, name, description, embedder_provider, embedder_model, dimension, created_by)
            VALUES (@id, @name, @description, @provider, @model, @dimension, @createdBy)
            """, new { id, name, description, provider = embedder.Provider, model = embedder.Model, dimension = embedder.Dimension, createdBy }, tx, cancellationToken: ct));
        await ReplaceGrantsAsync(connection, tx, id, users, roles, ct);
        await VectorIndexes.EnsureAsync(connection, tx, embedder.Dimension, ct);
        await tx.CommitAsync(ct);
        return id;
    }

    public async Task UpdateAsync(Guid id, string? name, string? description, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE retrieval.knowledge_bases
            SET name = coalesce(@name, name), description = coalesce(@description, description), updated_at = now()
            WHERE id = @id
            """, new { id, name, description }, cancellationToken: ct));
    }

    public async Task<int> DeleteAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var documents = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*)::int FROM retrieval.documents WHERE kb_id = @id", new { id }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM retrieval.knowledge_bases WHERE id = @id", new { id }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return documents;
    }

    public async Task SetGrantsAsync(Guid id, IReadOnlyList<string> users, IReadOnlyList<string> roles, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await ReplaceGrantsAsync(connection, tx, id, users, roles, ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE retrieval.knowledge_bases SET updated_at = now() WHERE id = @id", new { id }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    private static async Task ReplaceGrantsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid id,
        IReadOnlyList<string> users, IReadOnlyList<string> roles, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM retrieval.kb_grants WHERE kb_id = @id", new { id }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO retrieval.kb_grants (kb_id, principal_kind, principal)
            SELECT @id, 'user', u FROM unnest(@users) AS u
            UNION
            SELECT @id, 'role', r FROM unnest(@roles) AS r
            """, new { id, users = users.Distinct().ToArray(), roles = roles.Distinct().ToArray() }, tx, cancellationToken: ct));
    }

    private sealed class Row
    {
        public Guid Id { get; set; }
        public string Name { get; set; } = null!;
        public string Description { get; set; } = null!;
        public string EmbedderProvider { get; set; } = null!;
        public string EmbedderModel { get; set; } = null!;
        public int Dimension { get; set; }
        public string CreatedBy { get; set; } = null!;
        public DateTime CreatedAt { get; set; }
        public DateTime UpdatedAt { get; set; }
        public string[] GrantedUsers { get; set; } = null!;
        public string[] GrantedRoles { get; set; } = null!;
        public int SourceCount { get; set; }
        public int DocumentCount { get; set; }
        public int ChunkCount { get; set; }
        public string? NextEmbedderProvider { get; set; }
        public string? NextEmbedderModel { get; set; }
        public int? NextDimension { get; set; }
        public string? SwitchState { get; set; }
        public string SwitchError { get; set; } = "";
        public DateTime? SwitchStartedAt { get; set; }
        public int? SwitchChunksDone { get; set; }
        public int? SwitchChunksTotal { get; set; }

        public KnowledgeBaseRecord ToRecord() => new(Id, Name, Description, new EmbedderChoice(EmbedderProvider, EmbedderModel, Dimension),
            CreatedBy, new DateTimeOffset(CreatedAt, TimeSpan.Zero), new DateTimeOffset(UpdatedAt, TimeSpan.Zero),
            GrantedUsers, GrantedRoles, SourceCount, DocumentCount, ChunkCount,
            SwitchState is null ? null : new EmbedderSwitchRecord(new EmbedderChoice(NextEmbedderProvider!, NextEmbedderModel!, NextDimension!.Value),
                SwitchState, SwitchError, SwitchChunksDone ?? 0, SwitchChunksTotal ?? 0, new DateTimeOffset(SwitchStartedAt!.Value, TimeSpan.Zero)));
    }
}
