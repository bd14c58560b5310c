using Dapper;
using Npgsql;

namespace Genie.Retrieval.Sources;

/// <summary>The files uploaded to an upload source (kept in <c>retrieval.uploads</c>, so a re-sync can rebuild them).</summary>
public sealed class UploadDocumentSource(NpgsqlDataSource db, Guid sourceId) : IDocumentSource
{
    public async Task<IReadOnlyList<SourceItem>> DiscoverAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(string FileName, string? ContentType)>(new CommandDefinition(
            "SELECT file_name, content_type FROM retrieval.uploads WHERE source_id = @sourceId ORDER BY file_name", new { sourceId }, cancellationToken: ct));
        return rows.Select(r => new SourceItem(r.FileName, r.FileName, r.ContentType)).ToList();
    }

    public async Task<SourceContent> ReadAsync(SourceItem item, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var content = await connection.QuerySingleOrDefaultAsync<byte[]>(new CommandDefinition(
            "SELECT content FROM retrieval.uploads WHERE source_id = @sourceId AND file_name = @name", new { sourceId, name = item.Uri }, cancellationToken: ct))
            ?? throw new FileNotFoundException($"upload '{item.Uri}' is gone");
        return new SourceContent(content, item.ContentType);
    }

    public static async Task StoreAsync(NpgsqlDataSource db, Guid sourceId, string fileName, string contentType, byte[] content, string uploadedBy, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO retrieval.uploads (source_id, file_name, content_type, content, uploaded_by) VALUES (@sourceId, @fileName, @contentType, @content, @uploadedBy)
            ON CONFLICT (source_id, file_name) DO UPDATE SET content_type = excluded.content_type, content = excluded.content,
                uploaded_by = excluded.uploaded_by, uploaded_at = now()
            """, new { sourceId, fileName, contentType, content, uploadedBy }, cancellationToken: ct));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
