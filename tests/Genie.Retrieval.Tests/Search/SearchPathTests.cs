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

    private Task<ServiceProvider> ServicesAsync(int exactSearchMaxChunks) => EvalCommand.BuildServicesAsync(_connection,
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Genie:Retrieval:Search:ExactSearchMaxChunks"] = exactSearchMaxChunks.ToString(),
        }).Build());

    private static async Task<Guid> IngestAsync(IServiceProvider services)
    {
        var kb = await services.GetRequiredService<KnowledgeBaseStore>().CreateAsync($"devset {Guid.NewGuid():N}", "", Builtin, "test", [], [], default);
        var sources = services.GetRequiredService<SourceStore>();
        var source = await sources.AddAsync(kb, "corpus", new SourceConfig { Folder = new FolderSourceConfig { Path = Corpus } }, null, [], 0, "test", default);
        var run = await services.GetRequiredService<SyncRunner>().RunAsync((await sources.FindAsync(source, default))!, "manual", _ => Task.CompletedTask, default);
        Assert.Equal(8, run.Counts.Added);
        return kb;
    }

    [Fact]
    public async Task Exact_scan_and_HNSW_find_the_same_neighbours_of_a_small_knowledge_base()
    {
        await using var exact = await ServicesAsync(exactSearchMaxChunks: 10_000);
        await using var approximate = await ServicesAsync(exactSearchMaxChunks: 0);
        var kb = await IngestAsync(exact);

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
}
