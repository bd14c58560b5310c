using System.Diagnostics;
using Genie.Contracts.Retrieval.V1;
using Genie.Retrieval.Embeddings;
using Genie.Retrieval.Ingestion;
using Genie.Retrieval.KnowledgeBases;
using Genie.Retrieval.Search;
using Genie.Retrieval.Sources;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Database;
using Npgsql;
using Pgvector.Npgsql;

namespace Genie.Retrieval.Eval;

/// <summary>
/// <c>eval --corpus DIR --questions FILE.jsonl [--connection CS] [--embedder builtin-model|builtin|ollama|openai] [--model M] [--keep] [--sweep] [--answers [--verbose]]</c>:
/// ingests the folder into a scratch knowledge base, asks every question in hybrid, vector and text
/// mode, and prints Recall@1/5/10 and MRR over documents beside the same figures of a BM25 peer
/// (<see cref="Bm25Peer"/>). Lines with an empty <c>answers_in</c> are unanswerable: counted and skipped. With --answers, every
/// question (unanswerable ones included) is then asked of the Onboarding Bot (<see cref="AnswerEval"/>). The database comes
/// from --connection or ConnectionStrings__genie.
/// </summary>
public static class EvalCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var parsed = ParseArgs(args);
        if (parsed is null)
        {
            Console.Error.WriteLine("usage: eval --corpus DIR --questions FILE.jsonl [--connection CS] [--embedder builtin-model|builtin|ollama|openai] [--model M] [--keep] [--sweep] [--answers [--verbose]]");
            return 2;
        }
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var connection = parsed.GetValueOrDefault("connection") ?? configuration.GetConnectionString("genie");
        if (string.IsNullOrWhiteSpace(connection))
        {
            Console.Error.WriteLine("eval needs a PostgreSQL database with pgvector: pass --connection or set ConnectionStrings__genie.");
            return 2;
        }
        IReadOnlyList<EvalQuestion> questions;
        try
        {
            questions = EvalQuestion.Load(parsed["questions"]);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or IOException)
        {
            Console.Error.WriteLine($"eval: {parsed["questions"]}: {e.Message.ReplaceLineEndings(" ")}");
            return 2;
        }
        if (!Directory.Exists(parsed["corpus"]))
        {
            Console.Error.WriteLine($"eval: corpus folder '{parsed["corpus"]}' does not exist");
            return 2;
        }
        await using var provider = await BuildServicesAsync(connection, configuration);
        var report = await EvaluateAsync(provider, Path.GetFullPath(parsed["corpus"]), questions,
            parsed.GetValueOrDefault("embedder") ?? SentenceModelEmbeddingGenerator.ProviderName, parsed.GetValueOrDefault("model"), parsed.ContainsKey("keep"), Console.Out, CancellationToken.None,
            parsed.ContainsKey("sweep"), parsed.ContainsKey("answers") ? connection : null, parsed.ContainsKey("verbose"));
        return report.Ingestion.Failed > 0 ? 1 : 0;
    }

    /// <summary>The retrieval core over <paramref name="connection"/>, migrations applied.</summary>
    public static async Task<ServiceProvider> BuildServicesAsync(string connection, IConfiguration configuration)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Genie:Auth:SigningKey"] = configuration["Genie:Auth:SigningKey"] ?? AuthOptions.GenerateKey(),
        };
        var config = new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging(l => l.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
        var dataSource = new NpgsqlDataSourceBuilder(connection);
        dataSource.UseVector(); // embeddings are written and searched as Pgvector.Vector
        services.AddSingleton(dataSource.Build());
        RetrievalServices.AddRetrievalCore(services, config);
        var provider = services.BuildServiceProvider();
        await new MigrationRunner(provider.GetRequiredService<NpgsqlDataSource>(), RetrievalServices.SchemaName, typeof(RetrievalServices).Assembly,
            provider.GetRequiredService<ILoggerFactory>().CreateLogger<MigrationRunner>()).ApplyAsync();
        return provider;
    }

    /// <summary>Genie's modes and the BM25 peer over the answerable questions; unanswerable ones are counted, not scored.</summary>
    public sealed record EvalReport(SyncCounts Ingestion, IReadOnlyDictionary<SearchMode, RetrievalMetrics> Metrics, RetrievalMetrics Peer, int Unanswerable,
        AnswerEval.AnswerMetrics? Answers = null);

    public static async Task<EvalReport> EvaluateAsync(IServiceProvider provider, string corpus, IReadOnlyList<EvalQuestion> questions,
        string embedderProvider, string? model, bool keep, TextWriter output, CancellationToken ct, bool sweep = false,
        string? answersConnection = null, bool verbose = false)
    {
        var knowledgeBases = provider.GetRequiredService<KnowledgeBaseStore>();
        var sources = provider.GetRequiredService<SourceStore>();
        var runner = provider.GetRequiredService<SyncRunner>();
        var searcher = provider.GetRequiredService<HybridSearcher>();
        var embedder = await provider.GetRequiredService<EmbedderFactory>().ResolveAsync(embedderProvider, model, 0, ct);

        var kbId = await knowledgeBases.CreateAsync($"eval {Path.GetFileName(corpus)} {Guid.NewGuid():N}", "scratch knowledge base of the eval command",
            embedder, "eval", [], [], ct);
        try
        {
            var config = new SourceConfig { Folder = new FolderSourceConfig { Path = corpus } };
            var sourceId = Guid.CreateVersion7();
            await sources.AddAsync(sourceId, kbId, "corpus", config, null, [], 0, "eval", ct);
            var clock = Stopwatch.StartNew();
            var run = await runner.RunAsync((await sources.FindAsync(sourceId, ct))!, "manual", _ => Task.CompletedTask, ct);
            clock.Stop();
            output.WriteLine($"Ingested {corpus}: {run.Counts.Added} documents, {run.Counts.ChunksWritten} chunks, {run.Counts.Failed} failed " +
                $"in {clock.Elapsed.TotalSeconds:F1} s (embedder {embedder.Provider}/{embedder.Model}, {embedder.Dimension} dimensions)");
            foreach (var error in run.Errors)
                output.WriteLine($"  failed: {error.Uri}: {error.Error}");
            // Every mode and every run sees the same statistics (TextQuery's plan, BM25's idf): a sync analyzes only
            // after 1,000 chunks, and autovacuum's ANALYZE landing during the questions was the text side's run-to-run noise.
            await using (var connection = await provider.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(ct))
            await using (var analyze = new NpgsqlCommand("ANALYZE retrieval.chunks", connection) { CommandTimeout = 600 })
                await analyze.ExecuteNonQueryAsync(ct);
            provider.GetRequiredService<TermStatistics>().Invalidate();

            var answerable = questions.Where(q => q.Answerable).ToList();
            var metrics = new Dictionary<SearchMode, RetrievalMetrics>();
            var lists = new Dictionary<SearchMode, List<IReadOnlyList<SearchHitRecord>>>();
            var kbs = new[] { (kbId, embedder) };
            foreach (var mode in new[] { SearchMode.Hybrid, SearchMode.Vector, SearchMode.Text })
            {
                var modeMetrics = new RetrievalMetrics();
                lists[mode] = [];
                foreach (var question in answerable)
                {
                    var hits = await searcher.SearchAsync(new SearchQuery(question.Question, kbs, 50, 0, mode), ct);
                    modeMetrics.Add(hits.Select(h => h.Uri).Distinct().ToList(), question.AnswersIn);
                    lists[mode].Add(hits);
                }
                metrics[mode] = modeMetrics;
            }
            var peer = new RetrievalMetrics();
            using (var bm25 = await Bm25Peer.IndexAsync(corpus, ct))
            {
                foreach (var question in answerable)
                    peer.Add(bm25.Search(question.Question, 50), question.AnswersIn);
            }

            var unanswerable = questions.Count - answerable.Count;
            output.WriteLine($"{answerable.Count} questions scored" + (unanswerable > 0 ? $", {unanswerable} unanswerable skipped (answers_in is empty)" : ""));
            output.WriteLine($"{"mode",-10} {"R@1",6} {"R@5",6} {"R@10",6} {"MRR",6}");
            foreach (var (mode, m) in metrics)
                output.WriteLine($"{mode.ToString().ToLowerInvariant(),-10} {m.RecallAt(1),6:F3} {m.RecallAt(5),6:F3} {m.RecallAt(10),6:F3} {m.MeanReciprocalRank,6:F3}");
            output.WriteLine($"{"bm25 peer",-10} {peer.RecallAt(1),6:F3} {peer.RecallAt(5),6:F3} {peer.RecallAt(10),6:F3} {peer.MeanReciprocalRank,6:F3}  (Lucene.NET BM25, one document per file)");
            if (sweep)
                PrintFusionSweep(answerable, lists[SearchMode.Vector], lists[SearchMode.Text], output);
            AnswerEval.AnswerMetrics? answers = null;
            if (answersConnection is not null)
            {
                // Words only first (what the answerer falls back to), then words and meaning (what it does): the gap, on one ingestion.
                await AnswerEval.RunAsync(answersConnection, searcher, kbId, embedder, null, questions, verbose, output, ct);
                answers = await AnswerEval.RunAsync(answersConnection, searcher, kbId, embedder,
                    new SentenceScorer(provider.GetRequiredService<EmbedderFactory>()), questions, verbose, output, ct);
            }
            return new EvalReport(run.Counts, metrics, peer, unanswerable, answers);
        }
        finally
        {
            if (!keep)
                await knowledgeBases.DeleteAsync(kbId, CancellationToken.None);
        }
    }

    /// <summary>
    /// How hybrid would score with other fusion settings: the vector and text lists of every question
    /// fused again with a range of vector weights (text weight 1) and RRF k. For choosing
    /// <c>Search:VectorWeight</c> / <c>RrfK</c> on dev sets, never on held-out ones.
    /// </summary>
    private static void PrintFusionSweep(IReadOnlyList<EvalQuestion> questions, IReadOnlyList<IReadOnlyList<SearchHitRecord>> vector,
        IReadOnlyList<IReadOnlyList<SearchHitRecord>> text, TextWriter output)
    {
        output.WriteLine("fusion sweep (hybrid re-fused from the vector and text lists): k, vector weight -> R@1 R@5 MRR");
        foreach (var k in new[] { 10, 30, 60 })
        {
            foreach (var weight in new[] { 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0 })
            {
                var m = new RetrievalMetrics();
                for (var i = 0; i < questions.Count; i++)
                {
                    var uris = vector[i].Concat(text[i]).GroupBy(h => h.ChunkId).ToDictionary(g => g.Key, g => g.First().Uri);
                    var fused = ReciprocalRankFusion.Fuse([vector[i].Select(h => h.ChunkId).ToList(), text[i].Select(h => h.ChunkId).ToList()], k, [weight, 1.0]);
                    m.Add(fused.Select(f => uris[f.Item]).Distinct().ToList(), questions[i].AnswersIn);
                }
                output.WriteLine($"  k={k,-3} w={weight,-5:0.##} {m.RecallAt(1),6:F3} {m.RecallAt(5),6:F3} {m.MeanReciprocalRank,6:F3}");
            }
        }
    }

    private static Dictionary<string, string>? ParseArgs(string[] args)
    {
        var result = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--"))
                return null;
            var name = args[i][2..];
            if (name is "keep" or "sweep" or "answers" or "verbose")
                result[name] = "true";
            else if (i + 1 < args.Length)
                result[name] = args[++i];
            else
                return null;
        }
        return result.ContainsKey("corpus") && result.ContainsKey("questions") ? result : null;
    }
}
