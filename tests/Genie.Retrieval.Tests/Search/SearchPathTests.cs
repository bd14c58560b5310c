using Dapper;
using Genie.Contracts.Retrieval.V1;
using Genie.Retrieval.Embeddings;
using Genie.Retrieval.Eval;
using Genie.Retrieval.Ingestion;
using Genie.Retrieval.KnowledgeBases;
using Genie.Retrieval.Search;
using Genie.Retrieval.Sources;
using Genie.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Genie.Retrieval.Tests.Search;

/// <summary>The two vector paths (exact scan for small scopes, HNSW otherwise) and the statistics that choose between them.</summary>
public class SearchPathTests : IAsyncLifetime
{
    private static readonly string Corpus = Path.Combine(AppContext.BaseDirectory, "Eval", "devset", "corpus");
    private static readonly EmbedderChoice Builtin = new(HashingEmbeddingGenerator.ProviderName, HashingEmbeddingGenerator.ModelName, HashingEmbeddingGenerator.DefaultDimension);

    private string _connection = null!;

    public async Task InitializeAsync() => _connection = await (await PostgresCluster.GetSharedAsync()).CreateDatabaseAsync("searchpath");

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<ServiceProvider> ServicesAsync(int exactSearchMaxChunks, string? applicationName = null) => EvalCommand.BuildServicesAsync(
        new NpgsqlConnectionStringBuilder(_connection) { ApplicationName = applicationName }.ConnectionString,
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Genie:Retrieval:Search:ExactSearchMaxChunks"] = exactSearchMaxChunks.ToString(),
        }).Build());

    private static async Task<Guid> IngestAsync(IServiceProvider services)
    {
        var kb = await services.GetRequiredService<KnowledgeBaseStore>().CreateAsync($"devset {Guid.NewGuid():N}", "", Builtin, "test", [], [], default);
        var sources = services.GetRequiredService<SourceStore>();
        var source = Guid.CreateVersion7();
        await sources.AddAsync(source, kb, "corpus", new SourceConfig { Folder = new FolderSourceConfig { Path = Corpus } }, null, [], 0, "test", default);
        var run = await services.GetRequiredService<SyncRunner>().RunAsync((await sources.FindAsync(source, default))!, "manual", _ => Task.CompletedTask, default);
        Assert.Equal(8, run.Counts.Added);
        return kb;
    }

    [Fact]
    public async Task Exact_scan_and_HNSW_find_the_same_neighbours_of_a_small_knowledge_base()
    {
        await using var exact = await ServicesAsync(exactSearchMaxChunks: 10_000);
        await using var approximate = await ServicesAsync(exactSearchMaxChunks: 0, applicationName: "genie-hnsw-test");
        var kb = await IngestAsync(exact);
        var before = await ChunkScansAsync(approximate.GetRequiredService<NpgsqlDataSource>());

        foreach (var question in new[] { "How are migrations applied?", "Which model answers chat questions?", "where do traces go" })
        {
            var query = new SearchQuery(question, [(kb, Builtin)], 10, 0, SearchMode.Vector);
            var a = await exact.GetRequiredService<HybridSearcher>().SearchAsync(query, default);
            var b = await approximate.GetRequiredService<HybridSearcher>().SearchAsync(query, default);
            Assert.Equal(10, a.Count);
            // A 28-chunk graph searched with ef_search 200 visits every node: HNSW is exact here too.
            Assert.Equal(a.Select(h => h.ChunkId), b.Select(h => h.ChunkId));
            Assert.Equal(a.Select(h => h.VectorScore), b.Select(h => h.VectorScore), (x, y) => Math.Abs(x - y) < 1e-5);
            Assert.True(a[0].VectorScore >= a[^1].VectorScore && a[0].VectorRank == 1);
        }
        // The approximate path walked the HNSW index rather than scanning the table.
        var after = await ChunkScansAsync(approximate.GetRequiredService<NpgsqlDataSource>());
        Assert.True(after.VectorIndex >= before.VectorIndex + 3, $"HNSW index scans {before.VectorIndex} -> {after.VectorIndex}");
    }

    [Fact]
    public async Task Statistics_follow_syncs_and_analyze()
    {
        await using var services = await ServicesAsync(exactSearchMaxChunks: 2000);
        var statistics = services.GetRequiredService<TermStatistics>();
        var unknown = Guid.NewGuid();
        Assert.Equal(0, (await statistics.GetAsync([unknown], default)).Chunks([unknown]));

        // The sync invalidates the sizes: the next look-up sees the new knowledge base at once.
        var kb = await IngestAsync(services);
        var snapshot = await statistics.GetAsync([kb], default);
        var chunks = await services.GetRequiredService<NpgsqlDataSource>().OpenConnection().ExecuteScalarAsync<long>(
            "SELECT count(*) FROM retrieval.chunks WHERE kb_id = @kb", new { kb });
        Assert.Equal(chunks, snapshot.Chunks([kb]));

        await using (var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
            await connection.ExecuteAsync("ANALYZE retrieval.chunks");
        statistics.Invalidate();
        snapshot = await statistics.GetAsync([kb], default);
        // "servic" (service, services) is in most documents of the dev set; a made-up word is in none.
        Assert.True(snapshot.Frequency("servic") > snapshot.Frequency("zzyzxquark"));
        Assert.True(snapshot.Frequency("zzyzxquark") < 0.5);
    }

    [Fact]
    public async Task Full_text_search_reads_the_index_even_once_its_statement_is_reused()
    {
        await using var services = await ServicesAsync(exactSearchMaxChunks: 2000, applicationName: "genie-plan-test");
        var kb = await IngestAsync(services);
        var db = services.GetRequiredService<NpgsqlDataSource>();
        await using (var connection = await db.OpenConnectionAsync())
        {
            // 500 copies of every chunk but the one that names Kubernetes make a table where that word is rare
            // and a scan costs what it does in a real knowledge base. The copies use another dimension, so the
            // HNSW index (dimension 384 only) does not slow the insert.
            await connection.ExecuteAsync("""
                INSERT INTO retrieval.chunks (id, document_id, kb_id, ordinal, heading_path, context, text, dimension, embedding)
                SELECT gen_random_uuid(), document_id, kb_id, ordinal + 1000 * copy, heading_path, context, text, 3, '[1,2,3]'
                FROM retrieval.chunks, generate_series(1, 500) copy
                WHERE kb_id = @kb AND NOT search_text @@ to_tsquery('english', 'Kubernetes')
                """, new { kb });
            await connection.ExecuteAsync("ANALYZE retrieval.chunks");
        }
        services.GetRequiredService<TermStatistics>().Invalidate();
        var before = await ChunkScansAsync(db);

        // PostgreSQL gives a prepared statement a generic plan after its fifth run; a generic plan cannot see how
        // rare the lexemes are, and was seen to test every chunk instead of reading the GIN index.
        const int Searches = 12;
        var searcher = services.GetRequiredService<HybridSearcher>();
        for (var i = 0; i < Searches; i++)
            Assert.NotEmpty(await searcher.SearchAsync(new SearchQuery("Kubernetes", [(kb, Builtin)], 10, 0, SearchMode.Text), default));

        var after = await ChunkScansAsync(db);
        Assert.True(after.FullTextIndex >= before.FullTextIndex + Searches, $"full-text index scans {before.FullTextIndex} -> {after.FullTextIndex}");
        Assert.Equal(before.Sequential, after.Sequential);
    }

    /// <summary>
    /// Sequential scans of retrieval.chunks and scans of its full-text and 384-dimension HNSW indexes so far. A backend reports its counters when it exits (before it leaves
    /// pg_stat_activity), so the pool's connections are closed and their backends (found by the data
    /// source's application name) awaited first.
    /// </summary>
    private static async Task<(long Sequential, long FullTextIndex, long VectorIndex)> ChunkScansAsync(NpgsqlDataSource db)
    {
        db.Clear();
        var pool = new NpgsqlConnectionStringBuilder(db.ConnectionString);
        var meter = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Pooling = false, ApplicationName = pool.ApplicationName + "-meter" }.ConnectionString;
        await using var connection = new NpgsqlConnection(meter);
        await connection.OpenAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = @name", new { name = pool.ApplicationName }) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the pool's backends did not exit: " + string.Join("; ", await connection.QueryAsync<string>(
                "SELECT concat_ws(' ', pid, state, query) FROM pg_stat_activity WHERE application_name = @name", new { name = pool.ApplicationName })));
            await Task.Delay(50);
        }
        await connection.ExecuteAsync("SELECT pg_stat_clear_snapshot()");
        return await connection.QuerySingleAsync<(long, long, long)>(
            """
            SELECT (SELECT seq_scan FROM pg_stat_user_tables WHERE relid = 'retrieval.chunks'::regclass),
                   (SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelid = 'retrieval.chunks_search_text'::regclass),
                   (SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelid = 'retrieval.chunks_embedding_hnsw_384'::regclass)
            """);
    }
}
