using System.Diagnostics;
using Dapper;
using Genie.Contracts.Retrieval.V1;
using Genie.Retrieval;
using Genie.Retrieval.Bench;
using Genie.Retrieval.Chunking;
using Genie.Retrieval.Parsing;
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

// Retrieval benchmark: dev-set quality (MRR per mode and the BM25 peer), ingestion throughput (built-in model embedder by default, HNSW
// maintained), search latency and CPU per query at growing corpus sizes, HNSW recall@10 against exact search.
// Usage: dotnet run -c Release --project bench/Genie.Retrieval.Bench -- --connection "Host=...;Database=..."
//        [--sizes 10000,100000] [--queries 200] [--devset services/Genie.Retrieval/Eval/devset] [--embedder builtin-model|builtin] [--model M]
//        [--sentences-from ../shared/data] [--ef 100,200,400] [--keep] [--knowledge-base ID (measure a kept one's searches only)]
var options = args.Select((a, i) => (a, i)).Where(p => p.a.StartsWith("--") && p.i + 1 < args.Length && !args[p.i + 1].StartsWith("--"))
    .ToDictionary(p => p.a[2..], p => args[p.i + 1]);
var connection = options.GetValueOrDefault("connection") ?? Environment.GetEnvironmentVariable("ConnectionStrings__genie");
if (string.IsNullOrWhiteSpace(connection))
{
    Console.Error.WriteLine("Pass --connection or set ConnectionStrings__genie (a PostgreSQL database with pgvector).");
    return 2;
}
var sizes = (options.GetValueOrDefault("sizes") ?? "10000,100000").Split(',').Select(int.Parse).ToArray();
var queryCount = int.Parse(options.GetValueOrDefault("queries") ?? "200");
var devset = options.GetValueOrDefault("devset") ?? Path.Combine(FindRepoRoot(), "services", "Genie.Retrieval", "Eval", "devset");
var keep = args.Contains("--keep");
// Hybrid and vector latency are measured at each of these ef_search values (the configured one when not given).
var efValues = options.GetValueOrDefault("ef")?.Split(',').Select(int.Parse).ToArray();
// Real sentences recombined (HandbookCorpus) instead of generated words (CorpusGenerator).
var sentencesFrom = options.GetValueOrDefault("sentences-from");
const int SectionsPerDocument = 10;
const string ApplicationName = "genie-retrieval-bench";

Console.WriteLine($"Retrieval benchmark — {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, load average {ProcFs.LoadAverage}");
connection = new NpgsqlConnectionStringBuilder(connection) { ApplicationName = ApplicationName }.ConnectionString;
await using var provider = await EvalCommand.BuildServicesAsync(connection, new ConfigurationBuilder().AddEnvironmentVariables().Build());
var db = provider.GetRequiredService<NpgsqlDataSource>();
var knowledgeBases = provider.GetRequiredService<KnowledgeBaseStore>();
var sources = provider.GetRequiredService<SourceStore>();
var runner = provider.GetRequiredService<SyncRunner>();
var searcher = provider.GetRequiredService<HybridSearcher>();
var retrievalOptions = provider.GetRequiredService<RetrievalOptions>();
// --embedder builtin-model (the default embedder of a fresh install) or builtin (feature hashing); --model picks the built-in model.
var embedderProvider = options.GetValueOrDefault("embedder") ?? SentenceModelEmbeddingGenerator.ProviderName;
var embedder = await provider.GetRequiredService<EmbedderFactory>().ResolveAsync(embedderProvider, options.GetValueOrDefault("model"), 0, default);
Console.WriteLine($"embedder {embedder.Provider}/{embedder.Model}, {embedder.Dimension} dimensions");
var serverCpu = new ServerCpu(connection, ApplicationName);

await using (var conn = await db.OpenConnectionAsync())
{
    Console.WriteLine($"PostgreSQL {conn.PostgreSqlVersion}, pgvector {await conn.ExecuteScalarAsync<string>("SELECT extversion FROM pg_extension WHERE extname = 'vector'")}, " +
        $"shared_buffers {await conn.ExecuteScalarAsync<string>("SHOW shared_buffers")}; search: ef_search {retrievalOptions.Search.EfSearch}, " +
        $"text candidates ~{retrievalOptions.Search.TextCandidateCap}, exact scan up to {retrievalOptions.Search.ExactSearchMaxChunks} chunks");
}
if (Directory.Exists(devset))
{
    var report = await EvalCommand.EvaluateAsync(provider, Path.Combine(devset, "corpus"), EvalQuestion.Load(Path.Combine(devset, "questions.jsonl")),
        embedder.Provider, embedder.Model, keep: false, TextWriter.Null, default);
    Console.WriteLine($"dev set ({report.Metrics[SearchMode.Hybrid].Count} questions) MRR / R@1 / R@5: " +
        string.Join(", ", report.Metrics.Select(m => $"{m.Key.ToString().ToLowerInvariant()} {m.Value.MeanReciprocalRank:F3} / {m.Value.RecallAt(1):F3} / {m.Value.RecallAt(5):F3}")) +
        $", bm25 peer {report.Peer.MeanReciprocalRank:F3} / {report.Peer.RecallAt(1):F3} / {report.Peer.RecallAt(5):F3}");
}

// --knowledge-base ID: measure the searches of a knowledge base kept by an earlier run (--keep), e.g. after rebuilding its index.
if (options.GetValueOrDefault("knowledge-base") is { } existing)
{
    var existingId = Guid.Parse(existing);
    await using (var conn = await db.OpenConnectionAsync())
        Console.WriteLine($"knowledge base {existingId}: {await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM retrieval.chunks WHERE kb_id = @existingId", new { existingId }):N0} chunks; " +
            $"HNSW index: {await HnswIndexAsync(conn)}");
    await MeasureSearchAsync(existingId, sizes[^1]);
    return 0;
}

var folder = Directory.CreateTempSubdirectory("genie-bench-").FullName;
var kbId = await knowledgeBases.CreateAsync($"bench {Guid.NewGuid():N}", "benchmark corpus", embedder, "bench", [], [], default);
try
{
    await using (var conn = await db.OpenConnectionAsync())
        Console.WriteLine($"HNSW index: {await HnswIndexAsync(conn)}");
    var sourceId = Guid.CreateVersion7();
    await sources.AddAsync(sourceId, kbId, "generated", new SourceConfig { Folder = new FolderSourceConfig { Path = folder } }, null, [], 0, "bench", default);
    ICorpus generator = sentencesFrom is null ? new CorpusGenerator() : new HandbookCorpus(sentencesFrom);
    Console.WriteLine(generator is HandbookCorpus handbook
        ? $"corpus: {handbook.SentenceCount:N0} real sentences from {sentencesFrom}, recombined" : "corpus: generated words (CorpusGenerator)");
    var documentsWritten = 0;
    long chunksPlanned = 0;
    var parser = provider.GetRequiredService<DocumentParser>();
    var chunker = provider.GetRequiredService<StructuredChunker>();
    long chunksIndexed = 0;
    foreach (var size in sizes)
    {
        // Write only the new documents, until they make the size in chunks (as the indexer will chunk them);
        // the sync skips the unchanged ones by hash.
        var batchFolder = Path.Combine(folder, $"batch-{size}");
        Directory.CreateDirectory(batchFolder);
        for (; chunksPlanned < size; documentsWritten++)
        {
            var name = $"doc-{documentsWritten:D6}.md";
            var content = System.Text.Encoding.UTF8.GetBytes(generator.Document(documentsWritten, SectionsPerDocument));
            File.WriteAllBytes(Path.Combine(batchFolder, name), content);
            chunksPlanned += chunker.Chunk(await parser.ParseAsync(content, DocumentFormats.Markdown, name, default)).Count;
        }

        var cpu = await serverCpu.StartAsync();
        var clock = Stopwatch.StartNew();
        var run = await runner.RunAsync((await sources.FindAsync(sourceId, default))!, "manual", _ => Task.CompletedTask, default);
        clock.Stop();
        var (server, client) = await cpu.StopAsync();
        chunksIndexed += run.Counts.ChunksWritten;
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"\n== corpus {chunksIndexed:N0} chunks ({documentsWritten:N0} documents), load average {ProcFs.LoadAverage}");
        Console.WriteLine($"ingestion: {run.Counts.Added} new documents, {run.Counts.ChunksWritten:N0} chunks in {seconds:F1} s " +
            $"→ {run.Counts.Added / seconds:F0} docs/s, {run.Counts.ChunksWritten / seconds:F0} chunks/s ({run.Counts.Unchanged} unchanged skipped, {run.Counts.Failed} failed); " +
            $"CPU per chunk: server {Per(server, run.Counts.ChunksWritten)}, client {Per(client, run.Counts.ChunksWritten)}");

        // Search a settled table, as after autovacuum, so its pass over the fresh chunks is not counted as search time.
        var vacuumClock = Stopwatch.StartNew();
        await using (var conn = await db.OpenConnectionAsync())
            await conn.ExecuteAsync(new CommandDefinition("VACUUM retrieval.chunks", commandTimeout: 3600));
        Console.WriteLine($"vacuum after ingestion (autovacuum's next job): {vacuumClock.Elapsed.TotalSeconds:F1} s");

        await MeasureSearchAsync(kbId, size);
    }
}
finally
{
    if (keep)
        Console.WriteLine($"kept knowledge base {kbId} and corpus {folder}");
    else
    {
        await knowledgeBases.DeleteAsync(kbId, default);
        Directory.Delete(folder, recursive: true);
    }
}
return 0;

// Search latency per mode (hybrid and vector at each ef_search asked for) and HNSW recall@10 against exact search.
async Task MeasureSearchAsync(Guid kbId, int seed)
{
    // Queries: a few words taken from random chunks, like a user's question about them.
    var random = new Random(seed);
    await using var connection2 = await db.OpenConnectionAsync();
    var samples = (await connection2.QueryAsync<string>(
        "SELECT text FROM retrieval.chunks WHERE kb_id = @kbId ORDER BY md5(id::text || @seed) LIMIT @n", new { kbId, n = queryCount, seed = seed.ToString() })).ToList();
    var queries = samples.Select(t =>
    {
        var words = TextFeatures.Words(t).Where(w => !TextFeatures.IsStopWord(w)).ToList();
        var start = random.Next(Math.Max(1, words.Count - 6));
        return string.Join(' ', words.Skip(start).Take(5));
    }).ToList();

    var kbs = new[] { (kbId, embedder) };
    // Warm up every mode first, so the JIT's background recompilation is not counted as the first mode's CPU.
    foreach (var mode in new[] { SearchMode.Hybrid, SearchMode.Vector, SearchMode.Text })
        foreach (var q in queries.Take(50))
            await searcher.SearchAsync(new SearchQuery(q, kbs, 10, 0, mode), default);
    var configuredEf = retrievalOptions.Search.EfSearch;
    var runs = (efValues ?? [configuredEf]).SelectMany(ef => new[] { (SearchMode.Hybrid, ef), (SearchMode.Vector, ef) }).Append((SearchMode.Text, configuredEf));
    foreach (var (mode, ef) in runs)
    {
        retrievalOptions.Search.EfSearch = ef;
        var latencies = new List<double>();
        var searchCpu = await serverCpu.StartAsync();
        foreach (var q in queries)
        {
            var t = Stopwatch.GetTimestamp();
            await searcher.SearchAsync(new SearchQuery(q, kbs, 10, 0, mode), default);
            latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }
        var (searchServer, searchClient) = await searchCpu.StopAsync();
        latencies.Sort();
        Console.WriteLine($"search {mode.ToString().ToLowerInvariant(),-7} top-10{(mode == SearchMode.Text ? "" : $" ef_search {ef}")}: p50 {Percentile(latencies, 0.50):F1} ms, p95 {Percentile(latencies, 0.95):F1} ms, " +
            $"max {latencies[^1]:F1} ms over {latencies.Count} queries; CPU per query: server {Per(searchServer, latencies.Count)}, client {Per(searchClient, latencies.Count)}");
    }

    retrievalOptions.Search.EfSearch = configuredEf;
    foreach (var ef in new[] { 40, 100, 200, searcher.EfSearch, 400, 800 }.Concat(efValues ?? []).Distinct().Order())
    {
        var (recall, p50, p95) = await RecallAsync(db, kbId, queries.Take(100).ToList(), ef);
        Console.WriteLine($"HNSW recall@10 vs exact, ef_search {ef,4}: {recall:F3} (ANN query p50 {p50:F1} ms, p95 {p95:F1} ms){(ef == searcher.EfSearch ? "  ← configured" : "")}");
    }
}

// The definition of the HNSW index the knowledge base's dimension uses (its graph settings).
async Task<string?> HnswIndexAsync(NpgsqlConnection conn) =>
    await conn.ExecuteScalarAsync<string>("SELECT pg_get_indexdef(to_regclass(@name))", new { name = "retrieval." + VectorIndexes.IndexName(embedder.Dimension) });

static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

static string Per(TimeSpan? total, int count) => total is { } t && count > 0 ? $"{t.TotalMilliseconds / count:F2} ms" : "n/a";

static string FindRepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "Genie.sln")))
            return dir.FullName;
    return Directory.GetCurrentDirectory();
}

async Task<(double Recall, double P50, double P95)> RecallAsync(NpgsqlDataSource db, Guid kbId, List<string> queries, int efSearch)
{
    var latencies = new List<double>();
    // The questions embedded as the search embeds them (the knowledge base's embedder, as queries).
    using var queryEmbedder = provider.GetRequiredService<EmbedderFactory>().CreateForQueries(embedder);
    var vectors = await queryEmbedder.GenerateAsync(queries);
    double total = 0;
    await using var connection = await db.OpenConnectionAsync();
    foreach (var vector in vectors.Select(v => v.Vector.ToArray()))
    {
        await using var tx = await connection.BeginTransactionAsync();
        // enable_sort = off: at a high ef_search the planner would rather sort the whole knowledge base (exact), which is not the ANN path.
        await connection.ExecuteAsync($"SET LOCAL hnsw.ef_search = {efSearch}; SET LOCAL hnsw.iterative_scan = relaxed_order; SET LOCAL enable_sort = off", transaction: tx);
        var started = Stopwatch.GetTimestamp();
        var approximate = (await connection.QueryAsync<Guid>($"""
            SELECT id FROM retrieval.chunks WHERE dimension = {embedder.Dimension} AND kb_id = @kbId
            ORDER BY embedding::vector({embedder.Dimension}) <=> @vector::real[]::vector({embedder.Dimension}) LIMIT 10
            """, new { kbId, vector }, tx)).ToHashSet();
        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        // Without the index expression the planner must scan: the exact answer.
        var exact = (await connection.QueryAsync<Guid>($"""
            SELECT id FROM retrieval.chunks WHERE dimension = {embedder.Dimension} AND kb_id = @kbId
            ORDER BY embedding <=> @vector::real[]::vector LIMIT 10
            """, new { kbId, vector }, tx)).ToList();
        await tx.CommitAsync();
        total += exact.Count(approximate.Contains) / (double)exact.Count;
    }
    latencies.Sort();
    return (total / queries.Count, Percentile(latencies, 0.5), Percentile(latencies, 0.95));
}
