using System.Diagnostics;
using Genie.Agent;
using Genie.Agent.Bench;
using Genie.Agent.Knowledge;
using Genie.Retrieval;
using Genie.Contracts.Agent.V1;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Genie.ServiceDefaults.Database;
using Genie.ServiceDefaults.Grpc.Client;
using Genie.Testing;
using Microsoft.Extensions.DependencyInjection;

// Chat latency of the Agent with the built-in model over real gRPC and PostgreSQL (search through the real
// Retrieval service by default, or an in-process BM25 index with --search bm25 to isolate the Agent):
// time to the first answer delta and to the final record, p50/p95, at 1 and 32 concurrent conversations.
var options = BenchOptions.Parse(args);
var cluster = await PostgresCluster.GetSharedAsync();
var signingKey = AuthOptions.GenerateKey();
ServiceTestHost? retrievalHost = null;
IKnowledgeSearch? search = null;
string searchLabel;
int chunkCount;
if (options.UseRetrieval)
{
    retrievalHost = await ServiceTestHost.StartAsync("retrieval", b => b.AddRetrieval(scheduler: false), new Dictionary<string, string?>
    {
        ["ConnectionStrings:genie"] = await cluster.CreateDatabaseAsync("retrieval_bench"),
        ["Genie:Retrieval:Embedder:Provider"] = "builtin",
        [AuthOptions.SigningKeyKey] = signingKey,
    });
    using var ingestChannel = retrievalHost.CreateChannel();
    var ingest = Stopwatch.StartNew();
    chunkCount = await RetrievalCorpus.IngestAsync(new RetrievalClient(ingestChannel),
        new CallOptions { BearerToken = retrievalHost.IssueToken(Roles.Admin, "bench-admin") }, options.DataFolder, options.Chunks);
    searchLabel = $"Retrieval service over gRPC (hybrid, builtin embedder; ingested in {ingest.Elapsed.TotalSeconds:F0} s)";
}
else
{
    var chunks = HandbookCorpus.Load(options.DataFolder, options.Chunks);
    chunkCount = chunks.Count;
    search = new Bm25Index(chunks);
    searchLabel = "in-process BM25 (isolates the Agent)";
}
Console.WriteLine($"Genie.Agent.Bench  cores={Environment.ProcessorCount}  chunks={chunkCount}  model=builtin  search={searchLabel}");

var agentSettings = new Dictionary<string, string?>
{
    ["ConnectionStrings:genie"] = await cluster.CreateDatabaseAsync("agent_bench"),
    [AuthOptions.SigningKeyKey] = signingKey,
};
if (retrievalHost is not null) agentSettings["services:retrieval:grpc:0"] = retrievalHost.GrpcAddress.ToString();
await using var host = await ServiceTestHost.StartAsync("agent", builder =>
{
    builder.AddGenieDatabase("agent", typeof(AgentHandler).Assembly);
    builder.AddAgent();
    if (search is not null) builder.Services.AddSingleton(search);
}, agentSettings);
using var channel = host.CreateChannel();
var client = new AgentClient(channel);

if (options.Show)
{
    foreach (var question in Questions.All.Take(6))
    {
        var sample = await Chat.RunAsync(client, host.IssueToken(Roles.Learner, "show"), question);
        Console.WriteLine($"\nQ: {question}\nA: {sample.Answer}\n   cites: {string.Join(" | ", sample.Citations)}");
    }
    Console.WriteLine();
}

await Measure("warm-up", 1, 20, quiet: true);
await Measure("1 concurrent", 1, options.Requests);
await Measure("32 concurrent", 32, Math.Max(1, options.Requests / 8));
if (retrievalHost is not null) await retrievalHost.DisposeAsync();

async Task Measure(string label, int concurrency, int perWorker, bool quiet = false)
{
    var results = new List<Chat.Timing>();
    var wall = Stopwatch.StartNew();
    var workers = Enumerable.Range(0, concurrency).Select(async w =>
    {
        var token = host.IssueToken(Roles.Learner, $"bench-{label}-{w}");
        var local = new List<Chat.Timing>();
        for (var i = 0; i < perWorker; i++)
        {
            var question = Questions.All[(w * 7 + i) % Questions.All.Count];
            local.Add((await Chat.RunAsync(client, token, question)).Timing);
        }
        return local;
    });
    foreach (var local in await Task.WhenAll(workers)) results.AddRange(local);
    wall.Stop();
    if (quiet) return;
    var first = results.Select(r => r.FirstDelta.TotalMilliseconds).Order().ToArray();
    var done = results.Select(r => r.Completion.TotalMilliseconds).Order().ToArray();
    var notCovered = results.Count(r => r.NotCovered) / (double)results.Count;
    Console.WriteLine(
        $"{label,-14} chats={results.Count,4}  first delta p50={P(first, 50),6:F1} ms p95={P(first, 95),6:F1} ms  " +
        $"completion p50={P(done, 50),6:F1} ms p95={P(done, 95),6:F1} ms  throughput={results.Count / wall.Elapsed.TotalSeconds,6:F1} chats/s  not-covered={notCovered:P0}  " +
        $"(server mean: search {results.Average(r => r.RetrievalMs):F1} ms, generation {results.Average(r => r.GenerationMs):F1} ms)");
}

static double P(double[] sorted, int percentile) =>
    sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];

internal static class Chat
{
    public sealed record Timing(TimeSpan FirstDelta, TimeSpan Completion, bool NotCovered, long RetrievalMs, long GenerationMs);

    public sealed record Result(Timing Timing, string Answer, IReadOnlyList<string> Citations);

    public static async Task<Result> RunAsync(AgentClient client, string token, string question)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan? first = null;
        var answer = new System.Text.StringBuilder();
        var citations = new List<string>();
        var notCovered = false;
        long retrievalMs = 0, generationMs = 0;
        await foreach (var e in client.Chat(new ChatRequest { Message = question }, new CallOptions { BearerToken = token }))
        {
            switch (e.EventCase)
            {
                case ChatEvent.EventOneofCase.Delta:
                    first ??= clock.Elapsed;
                    answer.Append(e.Delta.Text);
                    break;
                case ChatEvent.EventOneofCase.Citations:
                    citations.AddRange(e.Citations.Items.Select(c => $"[{c.Marker}] {c.DocumentTitle} ({c.HeadingPath})"));
                    break;
                case ChatEvent.EventOneofCase.Completed:
                    notCovered = e.Completed.NotCovered;
                    retrievalMs = e.Completed.RetrievalMs;
                    generationMs = e.Completed.GenerationMs;
                    break;
            }
        }
        var total = clock.Elapsed;
        return new Result(new Timing(first ?? total, total, notCovered, retrievalMs, generationMs), answer.ToString(), citations);
    }
}

internal sealed record BenchOptions(string DataFolder, int Chunks, int Requests, bool Show, bool UseRetrieval)
{
    public static BenchOptions Parse(string[] args)
    {
        string? data = null;
        int chunks = 10_000, requests = 100;
        var show = false;
        var useRetrieval = true;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--data": data = args[++i]; break;
                case "--chunks": chunks = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--requests": requests = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--show": show = true; break;
                case "--search": useRetrieval = args[++i] switch
                {
                    "retrieval" => true,
                    "bm25" => false,
                    var other => throw new ArgumentException($"--search {other}: use retrieval or bm25"),
                }; break;
                default: throw new ArgumentException($"Unknown option {args[i]}. Options: --data DIR --chunks N --requests N --search retrieval|bm25 --show");
            }
        }
        data ??= FindSharedData() ?? throw new ArgumentException("Pass --data DIR (the shared 18F corpora, ../shared/data).");
        return new BenchOptions(data, chunks, requests, show, useRetrieval);
    }

    private static string? FindSharedData()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }
}

internal static class Questions
{
    public static readonly IReadOnlyList<string> All =
    [
        "How do I request annual leave?",
        "How many weeks of leave does FMLA give?",
        "How do I get reimbursed for travel expenses?",
        "What should I do in my first week?",
        "How does paid parental leave work?",
        "Can I work while traveling?",
        "How do I book travel in Concur?",
        "How is overtime approved?",
        "How do I set my out of office?",
        "What is advanced sick leave?",
        "How do I join Slack channels?",
        "How does code review work?",
        "How do I get access to GitHub?",
        "How do I get a government travel card?",
        "What is the voluntary leave transfer program?",
        "How do I track my time in Tock?",
        "What training must new employees complete?",
        "How do I request a new laptop?",
        "What are the rules for using personal email?",
        "How do I prepare for moving to a new duty station?",
    ];
}
