using System.Security.Cryptography;
using Dapper;
using Genie.Retrieval.Chunking;
using Genie.Retrieval.Embeddings;
using Genie.Retrieval.Parsing;
using Genie.ServiceDefaults.Database;
using Microsoft.Extensions.AI;
using Npgsql;
using Pgvector;

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
        var embeddings = chunks.Count == 0 ? [] : await embedder.GenerateAsync(chunks.Select((c, i) => EmbeddingInput(contexts[i], c.Text)), cancellationToken: ct);
        foreach (var embedding in embeddings)
        {
            if (embedding.Vector.Length != target.Dimension)
                throw new EmbeddingProviderException($"the embedder returned {embedding.Vector.Length} dimensions; the knowledge base was indexed with {target.Dimension}");
        }

        var documentId = existing?.Id ?? Guid.CreateVersion7();
        await using var tx = await connection.BeginTransactionAsync(ct);
        // The vectors must be from the knowledge base's embedder at commit: its row lock keeps an embedder switch's
        // swap (FOR UPDATE) from happening between this check and the commit. New chunks get no next_embedding: a
        // running switch embeds them before it swaps.
        var current = await connection.QuerySingleAsync<(string Provider, string Model, int Dimension)>(new CommandDefinition(
            "SELECT embedder_provider, embedder_model, dimension FROM retrieval.knowledge_bases WHERE id = @id FOR KEY SHARE",
            new { id = target.KnowledgeBaseId }, tx, cancellationToken: ct));
        if (new EmbedderChoice(current.Provider, current.Model, current.Dimension) != target.Embedder)
            throw new EmbedderChangedException();
        // Row, old chunks out, new chunks in: one prepared batch per round trip.
        const int perBatch = 200;
        for (var start = 0; start == 0 || start < chunks.Count; start += perBatch)
        {
            await using var batch = new NpgsqlBatch(connection, tx);
            if (start == 0)
            {
                batch.BatchCommands.Add(SqlBatch.Positional(UpsertDocumentSql, documentId, target.KnowledgeBaseId, target.SourceId, uri, title, contentType, hash,
                    IndexerVersion, (long)content.Length, chunks.Count));
                batch.BatchCommands.Add(SqlBatch.Positional("DELETE FROM retrieval.chunks WHERE document_id = $1", documentId));
            }
            for (var i = start; i < Math.Min(start + perBatch, chunks.Count); i++)
                batch.BatchCommands.Add(SqlBatch.Positional(InsertChunkSql, Guid.CreateVersion7(), documentId, target.KnowledgeBaseId, chunks[i].Ordinal,
                    chunks[i].HeadingPath.ToArray(), contexts[i], chunks[i].Text, target.Dimension, new Vector(embeddings[i].Vector)));
            if (start + perBatch >= chunks.Count)
                batch.BatchCommands.Add(SqlBatch.Positional(SearchLexemesSql, documentId));
            await batch.PrepareAsync(ct);
            await batch.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return new IndexResult(existing is null ? IndexOutcome.Added : IndexOutcome.Updated, documentId, chunks.Count);
    }

    private const string UpsertDocumentSql = """
        INSERT INTO retrieval.documents (id, kb_id, source_id, uri, title, content_type, content_hash, indexer_version, size_bytes, chunk_count, indexed_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())
        ON CONFLICT (source_id, uri) DO UPDATE SET title = excluded.title, content_type = excluded.content_type,
            content_hash = excluded.content_hash, indexer_version = excluded.indexer_version, size_bytes = excluded.size_bytes,
            chunk_count = excluded.chunk_count, indexed_at = now()
        """;

    // The document's share of its knowledge base's average chunk length, which the full-text ranking (BM25) normalises by.
    private const string SearchLexemesSql = """
        UPDATE retrieval.documents
        SET search_lexemes = (SELECT coalesce(sum(length(search_text)), 0) FROM retrieval.chunks WHERE document_id = $1)
        WHERE id = $1
        """;

    private const string InsertChunkSql = """
        INSERT INTO retrieval.chunks (id, document_id, kb_id, ordinal, heading_path, context, text, dimension, embedding)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        """;

    /// <summary>The text a chunk is embedded as (at indexing and when its knowledge base switches embedder).</summary>
    public static string EmbeddingInput(string context, string text) => context + "\n\n" + text;

    /// <summary>What a chunk is about beyond its own words: the document title and the headings above it.</summary>
    public static string Context(string title, IReadOnlyList<string> headingPath) =>
        string.Join(" › ", new[] { title }.Concat(headingPath.Where(h => !string.Equals(h, title, StringComparison.OrdinalIgnoreCase))));
}

/// <summary>Where indexed documents go: a source of a knowledge base, embedded with <paramref name="Embedder"/>.</summary>
public sealed record IndexTarget(Guid KnowledgeBaseId, Guid SourceId, EmbedderChoice Embedder)
{
    public int Dimension => Embedder.Dimension;
}

/// <summary>The knowledge base switched embedder after this document was embedded; embed it again with the new one.</summary>
public sealed class EmbedderChangedException() : Exception("the knowledge base switched embedder while the document was being indexed");
