using Dapper;
using Genie.Testing;
using Npgsql;

namespace Genie.ServiceDefaults.Tests.Database;

public class VectorExtensionTests
{
    [Fact]
    public async Task New_databases_have_the_vector_extension()
    {
        var cluster = await PostgresCluster.GetSharedAsync();
        await using var connection = new NpgsqlConnection(await cluster.CreateDatabaseAsync("vector"));

        var version = await connection.ExecuteScalarAsync<string?>("SELECT extversion FROM pg_extension WHERE extname = 'vector'");

        Assert.NotNull(version);
        Assert.Equal("[1,2,3]", await connection.ExecuteScalarAsync<string>("SELECT '[1,2,3]'::vector::text"));
    }

    [Fact]
    public async Task Cosine_distance_orders_rows_by_similarity_through_an_hnsw_index()
    {
        var cluster = await PostgresCluster.GetSharedAsync();
        await using var connection = new NpgsqlConnection(await cluster.CreateDatabaseAsync("cosine"));
        await connection.ExecuteAsync("""
            CREATE TABLE items (name text PRIMARY KEY, embedding vector(3) NOT NULL);
            CREATE INDEX ON items USING hnsw (embedding vector_cosine_ops);
            """);
        var rows = new (string Name, float[] Embedding)[]
        {
            ("opposite", [-1f, 0f, 0f]),
            ("same direction, longer", [10f, 0.5f, 0f]),
            ("orthogonal", [0f, 1f, 0f]),
            ("diagonal", [1f, 1f, 0f]),
        };
        foreach (var (name, embedding) in rows)
            await connection.ExecuteAsync("INSERT INTO items VALUES (@name, @embedding::vector)", new { name, embedding });

        var ordered = (await connection.QueryAsync<string>(
            "SELECT name FROM items ORDER BY embedding <=> @q::vector LIMIT 4", new { q = new[] { 1f, 0f, 0f } })).ToList();
        var roundTrip = await connection.QuerySingleAsync<float[]>("SELECT embedding::real[] FROM items WHERE name = 'diagonal'");

        Assert.Equal(["same direction, longer", "diagonal", "orthogonal", "opposite"], ordered);
        Assert.Equal([1f, 1f, 0f], roundTrip);
    }
}
