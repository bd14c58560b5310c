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

    private sealed class DocumentRow
    {
        public Guid Id { get; set; }
        public Guid KbId { get; set; }
        public Guid SourceId { get; set; }
        public string Uri { get; set; } = null!;
        public string Title { get; set; } = null!;
        public string ContentType { get; set; } = null!;
        public string ContentHash { get; set; } = null!;
        public long SizeBytes { get; set; }
        public int ChunkCount { get; set; }
        public DateTime IndexedAt { get; set; }

        public Document ToProto() => new()
        {
            Id = Id.ToString(), KnowledgeBaseId = KbId.ToString(), SourceId = SourceId.ToString(), Uri = Uri, Title = Title,
            ContentType = ContentType, ContentHash = ContentHash, SizeBytes = SizeBytes, ChunkCount = ChunkCount, IndexedAt = Ts(IndexedAt),
        };
    }

    private sealed class ChunkRow
    {
        public Guid Id { get; set; }
        public Guid DocumentId { get; set; }
        public Guid KbId { get; set; }
        public int Ordinal { get; set; }
        public string[] HeadingPath { get; set; } = null!;
        public string Text { get; set; } = null!;
        public string Title { get; set; } = null!;
        public string Uri { get; set; } = null!;

        public Chunk ToProto() => new()
        {
            Id = Id.ToString(), DocumentId = DocumentId.ToString(), KnowledgeBaseId = KbId.ToString(), Ordinal = Ordinal,
            HeadingPath = { HeadingPath }, Text = Text, DocumentTitle = Title, Uri = Uri,
        };
    }

    private sealed class RunRow
    {
        public Guid Id { get; set; }
        public Guid SourceId { get; set; }
        public string Trigger { get; set; } = null!;
        public string Status { get; set; } = null!;
        public DateTime StartedAt { get; set; }
        public DateTime? FinishedAt { get; set; }
        public int Added { get; set; }
        public int Updated { get; set; }
        public int Unchanged { get; set; }
        public int Deleted { get; set; }
        public int Failed { get; set; }
        public int ChunksWritten { get; set; }
        public string Error { get; set; } = null!;

        public SyncRun ToProto() => new()
        {
            Id = Id.ToString(), SourceId = SourceId.ToString(), Trigger = Trigger, Status = Status, StartedAt = Ts(StartedAt),
            FinishedAt = FinishedAt is { } f ? Ts(f) : null, Error = Error,
            Counts = new SyncCounts { Added = Added, Updated = Updated, Unchanged = Unchanged, Deleted = Deleted, Failed = Failed, ChunksWritten = ChunksWritten },
        };
    }
}
