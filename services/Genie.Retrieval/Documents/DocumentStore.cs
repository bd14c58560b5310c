using Dapper;
using Genie.Contracts.Retrieval.V1;
using Google.Protobuf.WellKnownTypes;
using Npgsql;

namespace Genie.Retrieval.Documents;

/// <summary>Reads documents, chunks and sync history for citation previews and the portal.</summary>
public sealed class DocumentStore(NpgsqlDataSource db)
{
    private const string DocumentColumns =
        "d.id, d.kb_id, d.source_id, d.uri, d.title, d.content_type, d.content_hash, d.size_bytes, d.chunk_count, d.indexed_at";

    public async Task<(IReadOnlyList<Document> Documents, int Total)> ListAsync(Guid kbId, Guid? sourceId, int limit, int offset, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var filter = "d.kb_id = @kbId" + (sourceId is null ? "" : " AND d.source_id = @sourceId");
        var rows = await connection.QueryAsync<DocumentRow>(new CommandDefinition(
            $"SELECT {DocumentColumns} FROM retrieval.documents d WHERE {filter} ORDER BY d.uri LIMIT @limit OFFSET @offset",
            new { kbId, sourceId, limit, offset }, cancellationToken: ct));
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            $"SELECT count(*)::int FROM retrieval.documents d WHERE {filter}", new { kbId, sourceId }, cancellationToken: ct));
        return (rows.Select(r => r.ToProto()).ToList(), total);
    }

    public async Task<Document?> FindAsync(Guid id, bool includeChunks, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<DocumentRow>(new CommandDefinition(
            $"SELECT {DocumentColumns} FROM retrieval.documents d WHERE d.id = @id", new { id }, cancellationToken: ct));
        if (row is null)
            return null;
        var document = row.ToProto();
        if (includeChunks)
        {
            var chunks = await connection.QueryAsync<ChunkRow>(new CommandDefinition(
                ChunkSelect + " WHERE c.document_id = @id ORDER BY c.ordinal", new { id }, cancellationToken: ct));
            document.Chunks.AddRange(chunks.Select(c => c.ToProto()));
        }
        return document;
    }

    public async Task<Chunk?> FindChunkAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<ChunkRow>(new CommandDefinition(ChunkSelect + " WHERE c.id = @id", new { id }, cancellationToken: ct));
        return row?.ToProto();
    }

    public async Task<IReadOnlyList<SyncRun>> ListRunsAsync(Guid sourceId, int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var runs = (await connection.QueryAsync<RunRow>(new CommandDefinition("""
            SELECT id, source_id, trigger, status, started_at, finished_at, added, updated, unchanged, deleted, failed, chunks_written, error
            FROM retrieval.sync_runs WHERE source_id = @sourceId ORDER BY started_at DESC LIMIT @limit
            """, new { sourceId, limit }, cancellationToken: ct))).ToList();
        var errors = (await connection.QueryAsync<(Guid RunId, string Uri, string Error)>(new CommandDefinition(
            "SELECT run_id, uri, error FROM retrieval.sync_run_errors WHERE run_id = ANY(@ids) ORDER BY uri",
            new { ids = runs.Select(r => r.Id).ToArray() }, cancellationToken: ct))).ToLookup(e => e.RunId);
        return runs.Select(r =>
        {
            var run = r.ToProto();
            run.Errors.AddRange(errors[r.Id].Select(e => new DocumentError { Uri = e.Uri, Error = e.Error }));
            return run;
        }).ToList();
    }

    private const string ChunkSelect = """
        SELECT c.id, c.document_id, c.kb_id, c.ordinal, c.heading_path, c.text, d.title, d.uri
        FROM retrieval.chunks c JOIN retrieval.documents d ON d.id = c.document_id
        """;

    internal static Timestamp Ts(DateTime value) => Timestamp.FromDateTime(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private sealed record DocumentRow(Guid Id, Guid Kb_Id, Guid Source_Id, string Uri, string Title, string Content_Type, string Content_Hash,
        long Size_Bytes, int Chunk_Count, DateTime Indexed_At)
    {
        public Document ToProto() => new()
        {
            Id = Id.ToString(), KnowledgeBaseId = Kb_Id.ToString(), SourceId = Source_Id.ToString(), Uri = Uri, Title = Title,
            ContentType = Content_Type, ContentHash = Content_Hash, SizeBytes = Size_Bytes, ChunkCount = Chunk_Count, IndexedAt = Ts(Indexed_At),
        };
    }

    private sealed record ChunkRow(Guid Id, Guid Document_Id, Guid Kb_Id, int Ordinal, string[] Heading_Path, string Text, string Title, string Uri)
    {
        public Chunk ToProto() => new()
        {
            Id = Id.ToString(), DocumentId = Document_Id.ToString(), KnowledgeBaseId = Kb_Id.ToString(), Ordinal = Ordinal,
            HeadingPath = { Heading_Path }, Text = Text, DocumentTitle = Title, Uri = Uri,
        };
    }

    private sealed record RunRow(Guid Id, Guid Source_Id, string Trigger, string Status, DateTime Started_At, DateTime? Finished_At,
        int Added, int Updated, int Unchanged, int Deleted, int Failed, int Chunks_Written, string Error)
    {
        public SyncRun ToProto() => new()
        {
            Id = Id.ToString(), SourceId = Source_Id.ToString(), Trigger = Trigger, Status = Status, StartedAt = Ts(Started_At),
            FinishedAt = Finished_At is { } f ? Ts(f) : null, Error = Error,
            Counts = new SyncCounts { Added = Added, Updated = Updated, Unchanged = Unchanged, Deleted = Deleted, Failed = Failed, ChunksWritten = Chunks_Written },
        };
    }
}
