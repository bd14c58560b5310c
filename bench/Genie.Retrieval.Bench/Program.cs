using System.Diagnostics;
using Dapper;
using Genie.Contracts.Retrieval.V1;
using Genie.Retrieval;
using Genie.Retrieval.Bench;
using Genie.Retrieval.Embeddings;
using Genie.Retrieval.Eval;
using Genie.Retrieval.Ingestion;
using Genie.Retrieval.KnowledgeBases;
using Genie.Retrieval.Search;
using Genie.Retrieval.Sources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

// Retrieval benchmark: ingestion throughput (builtin embedder, HNSW maintained), hybrid search
// latency at two corpus sizes, HNSW recall@10 against exact search.
// Usage: dotnet run -c Release --project bench/Genie.Retrieval.Bench -- --connection "Host=...;Database=..." [--sizes 10000,100000] [--queries 200]
var options = args.Select((a, i) => (a, i)).Where(p => p.a.StartsWith("--") && p.i + 1 < args.Length).ToDictionary(p => p.a[2..], p => args[p.i + 1]);
var connection = options.GetValueOrDefault("connection") ?? Environment.GetEnvironmentVariable("ConnectionStrings__genie");
if (string.IsNullOrWhiteSpace(connection))
{
    Console.Error.WriteLine("Pass --connection or set ConnectionStrings__genie (a PostgreSQL database with pgvector).");
    return 2;
}
var sizes = (options.GetValueOrDefault("sizes") ?? "10000,100000").Split(',').Select(int.Parse).ToArray();
var queryCount = int.Parse(options.GetValueOrDefault("queries") ?? "200");
const int SectionsPerDocument = 10;

Console.WriteLine($"Retrieval benchmark — {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
await using var provider = await EvalCommand.BuildServicesAsync(connection, new ConfigurationBuilder().AddEnvironmentVariables().Build());
var db = provider.GetRequiredService<NpgsqlDataSource>();
var knowledgeBases = provider.GetRequiredService<KnowledgeBaseStore>();
var sources = provider.GetRequiredService<SourceStore>();
var runner = provider.GetRequiredService<SyncRunner>();
var searcher = provider.GetRequiredService<HybridSearcher>();
var embedder = new EmbedderChoice(HashingEmbeddingGenerator.ProviderName, HashingEmbeddingGenerator.ModelName, HashingEmbeddingGenerator.DefaultDimension);

var folder = Directory.CreateTempSubdirectory("genie-bench-").FullName;
var kbId = await knowledgeBases.CreateAsync($"bench {Guid.NewGuid():N}", "benchmark corpus", embedder, "bench", [], [], default);
try
{
    var sourceId = await sources.AddAsync(kbId, "generated", new SourceConfig { Folder = new FolderSourceConfig { Path = folder } }, null, [], 0, "bench", default);
    var generator = new CorpusGenerator();
    var documentsWritten = 0;
    long chunksIndexed = 0;
    foreach (var size in sizes)
    {
        // Write only the new documents; the sync skips the unchanged ones by hash.
        var target = size / SectionsPerDocument;
        var batchFolder = Path.Combine(folder, $"batch-{size}");
        Directory.CreateDirectory(batchFolder);
        var newDocuments = 0;
        for (; documentsWritten < target; documentsWritten++, newDocuments++)
            File.WriteAllText(Path.Combine(batchFolder, $"doc-{documentsWritten:D6}.md"), generator.Document(documentsWritten, SectionsPerDocument));

        var clock = Stopwatch.StartNew();
        var run = await runner.RunAsync((await sources.FindAsync(sourceId, default))!, "manual", _ => Task.CompletedTask, default);
        clock.Stop();
        chunksIndexed += run.Counts.ChunksWritten;
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"\n== corpus {chunksIndexed:N0} chunks ({documentsWritten:N0} documents)");
        Console.WriteLine($"ingestion: {run.Counts.Added} new documents, {run.Counts.ChunksWritten:N0} chunks in {seconds:F1} s " +
            $"→ {run.Counts.Added / seconds:F0} docs/s, {run.Counts.ChunksWritten / seconds:F0} chunks/s ({run.Counts.Unchanged} unchanged skipped, {run.Counts.Failed} failed)");

        await using (var conn = await db.OpenConnectionAsync())
            await conn.ExecuteAsync("ANALYZE retrieval.chunks");

        // Queries: a few words taken from random chunks, like a user's question about them.
        var random = new Random(size);
        await using var connection2 = await db.OpenConnectionAsync();
        var samples = (await connection2.QueryAsync<string>(
            "SELECT text FROM retrieval.chunks WHERE kb_id = @kbId ORDER BY random() LIMIT @n", new { kbId, n = queryCount })).ToList();
        var queries = samples.Select(t =>
        {
            var words = TextFeatures.Words(t).Where(w => !TextFeatures.IsStopWord(w)).ToList();
            var start = random.Next(Math.Max(1, words.Count - 6));
            return string.Join(' ', words.Skip(start).Take(5));
        }).ToList();

        var kbs = new[] { (kbId, embedder) };
        foreach (var mode in new[] { SearchMode.Hybrid, SearchMode.Vector, SearchMode.Text })
        {
            foreach (var q in queries.Take(10))
                await searcher.SearchAsync(new SearchQuery(q, kbs, 10, 0, mode), default); // warm up
            var latencies = new List<double>();
            foreach (var q in queries)
            {
                var t = Stopwatch.GetTimestamp();
                await searcher.SearchAsync(new SearchQuery(q, kbs, 10, 0, mode), default);
                latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
            latencies.Sort();
            Console.WriteLine($"search {mode.ToString().ToLowerInvariant(),-7} top-10: p50 {Percentile(latencies, 0.50):F1} ms, p95 {Percentile(latencies, 0.95):F1} ms, max {latencies[^1]:F1} ms over {latencies.Count} queries");
        }

        foreach (var ef in new[] { 100, searcher.EfSearch, 400, 800 }.Distinct().Order())
        {
            var (recall, p50, p95) = await RecallAsync(db, kbId, queries.Take(100).ToList(), ef);
            Console.WriteLine($"HNSW recall@10 vs exact, ef_search {ef,4}: {recall:F3} (ANN query p50 {p50:F1} ms, p95 {p95:F1} ms){(ef == searcher.EfSearch ? "  ← configured" : "")}");
        }
    }
}
finally
{
    await knowledgeBases.DeleteAsync(kbId, default);
    Directory.Delete(folder, recursive: true);
}
return 0;

static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

async Task<(double Recall, double P50, double P95)> RecallAsync(NpgsqlDataSource db, Guid kbId, List<string> queries, int efSearch)
{
    var latencies = new List<double>();
    var hashing = new HashingEmbeddingGenerator();
    double total = 0;
    await using var connection = await db.OpenConnectionAsync();
    foreach (var query in queries)
    {
        var vector = hashing.Embed(query);
        await using var tx = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync($"SET LOCAL hnsw.ef_search = {efSearch}; SET LOCAL hnsw.iterative_scan = relaxed_order", transaction: tx);
        var started = Stopwatch.GetTimestamp();
        var approximate = (await connection.QueryAsync<Guid>("""
            SELECT id FROM retrieval.chunks WHERE dimension = 384 AND kb_id = @kbId
            ORDER BY embedding::vector(384) <=> @vector::real[]::vector(384) LIMIT 10
            """, new { kbId, vector }, tx)).ToHashSet();
        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        // Without the index expression the planner must scan: the exact answer.
        var exact = (await connection.QueryAsync<Guid>("""
            SELECT id FROM retrieval.chunks WHERE dimension = 384 AND kb_id = @kbId
            ORDER BY embedding <=> @vector::real[]::vector LIMIT 10
            """, new { kbId, vector }, tx)).ToList();
        await tx.CommitAsync();
        total += exact.Count(approximate.Contains) / (double)exact.Count;
    }
    latencies.Sort();
    return (total / queries.Count, Percentile(latencies, 0.5), Percentile(latencies, 0.95));
}
