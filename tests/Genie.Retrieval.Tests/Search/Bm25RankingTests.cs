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

/// <summary>
/// The full-text side ranks by BM25 (Search/Bm25.cs) on real PostgreSQL. Each corpus is built so that ts_rank_cd
/// alone scores the two chunks that matter the same, and the tie (broken by title) would put the wrong one first.
/// </summary>
public class Bm25RankingTests : IAsyncLifetime
{
    private static readonly EmbedderChoice Builtin = new(HashingEmbeddingGenerator.ProviderName, HashingEmbeddingGenerator.ModelName, HashingEmbeddingGenerator.DefaultDimension);

    private string _connection = null!;
    private readonly string _corpus = Path.Combine(Path.GetTempPath(), "genie-bm25-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        _connection = await (await PostgresCluster.GetSharedAsync()).CreateDatabaseAsync("bm25");
        Directory.CreateDirectory(_corpus);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_corpus, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_short_chunk_ranks_above_a_long_one_holding_the_word_as_often()
    {
        var filler = string.Join(" ", Enumerable.Range(1, 80).Select(i => $"item{i}"));
        await File.WriteAllTextAsync(Path.Combine(_corpus, "long.md"), $"# Aardvark notes\n\nThe zephyr is mentioned once among {filler}.\n");
        await File.WriteAllTextAsync(Path.Combine(_corpus, "short.md"), "# Zulu notes\n\nThe zephyr is mentioned once.\n");

        await using var services = await EvalCommand.BuildServicesAsync(_connection, new ConfigurationBuilder().Build());
        var kb = await IngestAsync(services, documents: 2);

        var hits = await TextSearchAsync(services, kb, "zephyr");
        Assert.Equal(["short.md", "long.md"], hits.Select(h => h.Uri));
        Assert.True(hits[0].TextScore > hits[1].TextScore, $"text scores {hits[0].TextScore} and {hits[1].TextScore}");

        // Length is normalised by the knowledge base's average chunk length, which the indexer keeps per document.
        await using var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var average = await connection.ExecuteScalarAsync<double>("SELECT avg(length(search_text)) FROM retrieval.chunks WHERE kb_id = @kb", new { kb });
        var snapshot = await services.GetRequiredService<TermStatistics>().GetAsync([kb], default);
        Assert.Equal(average, snapshot.AverageChunkLexemes([kb]), 6);
    }

    [Fact]
    public async Task A_rare_question_word_counts_more_than_a_common_one()
    {
        // "configuration" is in every document, "zephyr" in one; each of the two chunks that matter holds one of them once.
        await File.WriteAllTextAsync(Path.Combine(_corpus, "common.md"), "# Aardvark notes\n\nThe configuration lives here beside the lamp.\n");
        await File.WriteAllTextAsync(Path.Combine(_corpus, "rare.md"), "# Zulu notes\n\nThe zephyr lives here beside the lamp.\n");
        for (var i = 1; i <= 10; i++)
            await File.WriteAllTextAsync(Path.Combine(_corpus, $"other-{i}.md"), $"# Other page {i}\n\nThe configuration of part {i} with piece{i} and detail{i}.\n");

        await using var services = await EvalCommand.BuildServicesAsync(_connection, new ConfigurationBuilder().Build());
        var kb = await IngestAsync(services, documents: 12);

        var hits = await TextSearchAsync(services, kb, "zephyr configuration");
        Assert.Equal("rare.md", hits[0].Uri);
        Assert.Equal(12, hits.Count);
    }

    private async Task<Guid> IngestAsync(IServiceProvider services, int documents)
    {
        var kb = await services.GetRequiredService<KnowledgeBaseStore>().CreateAsync($"bm25 {Guid.NewGuid():N}", "", Builtin, "test", [], [], default);
        var sources = services.GetRequiredService<SourceStore>();
        var source = Guid.CreateVersion7();
        await sources.AddAsync(source, kb, "corpus", new SourceConfig { Folder = new FolderSourceConfig { Path = _corpus } }, null, [], 0, "test", default);
        var run = await services.GetRequiredService<SyncRunner>().RunAsync((await sources.FindAsync(source, default))!, "manual", _ => Task.CompletedTask, default);
        Assert.Equal(documents, run.Counts.Added);
        // idf comes from the planner's statistics; a sync this small leaves them to autovacuum.
        await using (var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
            await connection.ExecuteAsync("ANALYZE retrieval.chunks");
        services.GetRequiredService<TermStatistics>().Invalidate();
        return kb;
    }

    private static Task<IReadOnlyList<SearchHitRecord>> TextSearchAsync(IServiceProvider services, Guid kb, string question) =>
        services.GetRequiredService<HybridSearcher>().SearchAsync(new SearchQuery(question, [(kb, Builtin)], 20, 0, SearchMode.Text), default);
}
