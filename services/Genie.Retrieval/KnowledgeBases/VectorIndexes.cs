using Dapper;
using Npgsql;

namespace Genie.Retrieval.KnowledgeBases;

/// <summary>One partial HNSW index per embedding dimension in use (pgvector indexes need a fixed dimension).</summary>
public static class VectorIndexes
{
    public const int MaxIndexedDimension = 2000;

    public static string IndexName(int dimension) => $"chunks_embedding_hnsw_{dimension}";

    public static async Task EnsureAsync(NpgsqlConnection connection, NpgsqlTransaction tx, int dimension, CancellationToken ct)
    {
        if (dimension is < 1 or > MaxIndexedDimension)
            throw new ArgumentOutOfRangeException(nameof(dimension), $"dimension must be 1..{MaxIndexedDimension}");
        // Serialise concurrent creators (two replicas creating knowledge bases of a new dimension).
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext('retrieval.vector_indexes'))", transaction: tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            $"CREATE INDEX IF NOT EXISTS {IndexName(dimension)} ON retrieval.chunks " +
            $"USING hnsw ((embedding::vector({dimension})) vector_cosine_ops) WHERE dimension = {dimension}",
            transaction: tx, cancellationToken: ct));
    }
}
