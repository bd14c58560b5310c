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
/// <c>eval --corpus DIR --questions FILE.jsonl [--connection CS] [--embedder builtin|ollama|openai] [--model M] [--keep]</c>:
/// ingests the folder into a scratch knowledge base, asks every question in hybrid, vector and text
/// mode, and prints Recall@1/5/10 and MRR over documents. The database comes from --connection or
/// ConnectionStrings__genie.
/// </summary>
public static class EvalCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var parsed = ParseArgs(args);
        if (parsed is null)
        {
            Console.Error.WriteLine("usage: eval --corpus DIR --questions FILE.jsonl [--connection CS] [--embedder builtin|ollama|openai] [--model M] [--keep]");
            return 2;
        }
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var connection = parsed.GetValueOrDefault("connection") ?? configuration.GetConnectionString("genie");
        if (string.IsNullOrWhiteSpace(connection))
        {
            Console.Error.WriteLine("eval needs a PostgreSQL database with pgvector: pass --connection or set ConnectionStrings__genie.");
            return 2;
        }
        await using var provider = await BuildServicesAsync(connection, configuration);
        var report = await EvaluateAsync(provider, Path.GetFullPath(parsed["corpus"]), EvalQuestion.Load(parsed["questions"]),
            parsed.GetValueOrDefault("embedder") ?? "builtin", parsed.GetValueOrDefault("model"), parsed.ContainsKey("keep"), Console.Out, CancellationToken.None);
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

    public sealed record EvalReport(SyncCounts Ingestion, IReadOnlyDictionary<SearchMode, RetrievalMetrics> Metrics);

    public static async Task<EvalReport> EvaluateAsync(IServiceProvider provider, string corpus, IReadOnlyList<EvalQuestion> questions,
        string embedderProvider, string? model, bool keep, TextWriter output, CancellationToken ct)
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
            var sourceId = await sources.AddAsync(kbId, "corpus", config, null, [], 0, "eval", ct);
            var clock = Stopwatch.StartNew();
            var run = await runner.RunAsync((await sources.FindAsync(sourceId, ct))!, "manual", _ => Task.CompletedTask, ct);
            clock.Stop();
            output.WriteLine($"Ingested {corpus}: {run.Counts.Added} documents, {run.Counts.ChunksWritten} chunks, {run.Counts.Failed} failed " +
                $"in {clock.Elapsed.TotalSeconds:F1} s (embedder {embedder.Provider}/{embedder.Model}, {embedder.Dimension} dimensions)");
            foreach (var error in run.Errors)
                output.WriteLine($"  failed: {error.Uri}: {error.Error}");

            var metrics = new Dictionary<SearchMode, RetrievalMetrics>();
            var kbs = new[] { (kbId, embedder) };
            foreach (var mode in new[] { SearchMode.Hybrid, SearchMode.Vector, SearchMode.Text })
            {
                var modeMetrics = new RetrievalMetrics();
                foreach (var question in questions)
                {
                    var hits = await searcher.SearchAsync(new SearchQuery(question.Question, kbs, 50, 0, mode), ct);
                    modeMetrics.Add(hits.Select(h => h.Uri).Distinct().ToList(), question.AnswersIn);
                }
                metrics[mode] = modeMetrics;
            }

            output.WriteLine($"{questions.Count} questions");
            output.WriteLine($"{"mode",-8} {"R@1",6} {"R@5",6} {"R@10",6} {"MRR",6}");
            foreach (var (mode, m) in metrics)
                output.WriteLine($"{mode.ToString().ToLowerInvariant(),-8} {m.RecallAt(1),6:F3} {m.RecallAt(5),6:F3} {m.RecallAt(10),6:F3} {m.MeanReciprocalRank,6:F3}");
            return new EvalReport(run.Counts, metrics);
        }
        finally
        {
            if (!keep)
                await knowledgeBases.DeleteAsync(kbId, CancellationToken.None);
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
            if (name == "keep")
                result[name] = "true";
            else if (i + 1 < args.Length)
                result[name] = args[++i];
            else
                return null;
        }
        return result.ContainsKey("corpus") && result.ContainsKey("questions") ? result : null;
    }
}
