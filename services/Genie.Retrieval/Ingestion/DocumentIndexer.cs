using System.Security.Cryptography;
using Dapper;
using Genie.Retrieval.Chunking;
using Genie.Retrieval.Embeddings;
using Genie.Retrieval.Parsing;
using Microsoft.Extensions.AI;
using Npgsql;

namespace Genie.Retrieval.Ingestion;

public enum IndexOutcome
{
    Added,
    Updated,
    Unchanged,
}

public sealed record IndexResult(IndexOutcome Outcome, Guid DocumentId, int ChunksWritten);

/// <summary>
/// Indexes one document: unchanged content (same hash, same indexer version) costs one lookup;
/// otherwise it is parsed, chunked and embedded outside the database, then its row and all its
/// chunks are replaced in one transaction, so a search never sees a half-indexed document.
/// </summary>
public sealed class DocumentIndexer(NpgsqlDataSource db, DocumentParser parser, StructuredChunker chunker)
{
    /// <summary>Bump when parsing or chunking changes, so unchanged files are re-chunked once.</summary>
    public const int IndexerVersion = 1;

    public static string Hash(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public async Task<IndexResult> IndexAsync(IndexTarget target, string uri, string name, byte[] content, string contentType,
        IEmbeddingGenerator<string, Embedding<float>> embedder, CancellationToken ct)
    {
        var hash = Hash(content);
        await using var connection = await db.OpenConnectionAsync(ct);
        var existing = await connection.QuerySingleOrDefaultAsync<(Guid Id, string Hash, int Version)?>(new CommandDefinition(
            "SELECT id, content_hash, indexer_version FROM retrieval.documents WHERE source_id = @source AND uri = @uri",
            new { source = target.SourceId, uri }, cancellationToken: ct));
        if (existing is { } found && found.Hash == hash && found.Version == IndexerVersion)
            return new IndexResult(IndexOutcome.Unchanged, found.Id, 0);

        var parsed = await parser.ParseAsync(content, contentType, name, ct);
        var chunks = chunker.Chunk(parsed);
        var title = parsed.Title ?? name;
        var contexts = chunks.Select(c => Context(title, c.HeadingPath)).ToList();
        var embeddings = chunks.Count == 0 ? [] : await embedder.GenerateAsync(chunks.Select((c, i) => contexts[i] + "\n\n" + c.Text), cancellationToken: ct);
        foreach (var embedding in embeddings)
        {
            if (embedding.Vector.Length != target.Dimension)
                throw new EmbeddingProviderException($"the embedder returned {embedding.Vector.Length} dimensions; the knowledge base was indexed with {target.Dimension}");
        }

        var documentId = existing?.Id ?? Guid.CreateVersion7();
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO retrieval.documents (id, kb_id, source_id, uri, title, content_type, content_hash, indexer_version, size_bytes, chunk_count, indexed_at)
            VALUES (@id, @kb, @source, @uri, @title, @contentType, @hash, @version, @size, @chunkCount, now())
            ON CONFLICT (source_id, uri) DO UPDATE SET title = excluded.title, content_type = excluded.content_type,
                content_hash = excluded.content_hash, indexer_version = excluded.indexer_version, size_bytes = excluded.size_bytes,
                chunk_count = excluded.chunk_count, indexed_at = now()
            """, new { id = documentId, kb = target.KnowledgeBaseId, source = target.SourceId, uri, title, contentType, hash, version = IndexerVersion, size = (long)content.Length, chunkCount = chunks.Count },
            tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM retrieval.chunks WHERE document_id = @documentId", new { documentId }, tx, cancellationToken: ct));
        await InsertChunksAsync(connection, tx, target, documentId, chunks, contexts, embeddings, ct);
        await tx.CommitAsync(ct);
        return new IndexResult(existing is null ? IndexOutcome.Added : IndexOutcome.Updated, documentId, chunks.Count);
    }

    private static async Task InsertChunksAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IndexTarget target, Guid documentId,
        IReadOnlyList<TextChunk> chunks, IReadOnlyList<string> contexts, GeneratedEmbeddings<Embedding<float>> embeddings, CancellationToken ct)
    {
        const int perBatch = 200;
        for (var start = 0; start < chunks.Count; start += perBatch)
        {
            await using var batch = new NpgsqlBatch(connection, tx);
            for (var i = start; i < Math.Min(start + perBatch, chunks.Count); i++)
            {
                var command = new NpgsqlBatchCommand("""
                    INSERT INTO retrieval.chunks (id, document_id, kb_id, ordinal, heading_path, context, text, dimension, embedding)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::real[]::vector)
                    """);
                command.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
                command.Parameters.Add(new NpgsqlParameter { Value = documentId });
                command.Parameters.Add(new NpgsqlParameter { Value = target.KnowledgeBaseId });
                command.Parameters.Add(new NpgsqlParameter { Value = chunks[i].Ordinal });
                command.Parameters.Add(new NpgsqlParameter { Value = chunks[i].HeadingPath.ToArray() });
                command.Parameters.Add(new NpgsqlParameter { Value = contexts[i] });
                command.Parameters.Add(new NpgsqlParameter { Value = chunks[i].Text });
                command.Parameters.Add(new NpgsqlParameter { Value = target.Dimension });
                command.Parameters.Add(new NpgsqlParameter { Value = embeddings[i].Vector.ToArray() });
                batch.BatchCommands.Add(command);
            }
            await batch.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>What a chunk is about beyond its own words: the document title and the headings above it.</summary>
    public static string Context(string title, IReadOnlyList<string> headingPath) =>
        string.Join(" › ", new[] { title }.Concat(headingPath.Where(h => !string.Equals(h, title, StringComparison.OrdinalIgnoreCase))));
}

/// <summary>Where indexed documents go: a source of a knowledge base with a fixed embedding dimension.</summary>
public sealed record IndexTarget(Guid KnowledgeBaseId, Guid SourceId, int Dimension);
