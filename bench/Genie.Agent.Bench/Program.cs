using System.Diagnostics;
using Genie.Agent;
using Genie.Agent.Bench;
using Genie.Agent.Knowledge;
using Genie.Retrieval;
using Genie.Contracts.Agent.V1;
using Genie.Contracts.Common.V1;
using Genie.Contracts.Retrieval.V1;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Genie.ServiceDefaults.Database;
using Genie.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;

// Chat latency of the Agent with the built-in model over real gRPC and PostgreSQL (search through the real
// Retrieval service by default, an in-process BM25 index with --search bm25 to isolate the Agent, or no passages
// at all with --search empty for the floor): time to the first answer delta and to the final record, p50/p95, at 1
// and 32 concurrent conversations, where the time goes, and what a chat costs in CPU and database commands.
var options = BenchOptions.Parse(args);
var cluster = await PostgresCluster.GetSharedAsync();
var signingKey = AuthOptions.GenerateKey();
ServiceTestHost? retrievalHost = null;
IKnowledgeSearch? search = null;
string searchLabel;
int chunkCount;
if (options.Search == "retrieval")
{
    var retrievalDatabase = await cluster.CreateDatabaseAsync("retrieval_bench");
    retrievalHost = await ServiceTestHost.StartAsync("retrieval", b => b.AddRetrieval(scheduler: false), new Dictionary<string, string?>
    {
        ["ConnectionStrings:genie"] = retrievalDatabase,
        ["Genie:Retrieval:Embedder:Provider"] = "builtin",
        [AuthOptions.SigningKeyKey] = signingKey,
    });
    using var ingestChannel = GrpcChannel.ForAddress(retrievalHost.GrpcAddress);
    var ingest = Stopwatch.StartNew();
    chunkCount = await RetrievalCorpus.IngestAsync(new RetrievalService.RetrievalServiceClient(ingestChannel),
        BearerToken.Options(retrievalHost.IssueToken(Roles.Admin, "bench-admin")), options.DataFolder, options.Chunks);
    // Measure a settled knowledge base, as after autovacuum: otherwise its vacuum and analyze of the fresh
    // chunks run during the chats and count as their CPU. Then let the service's cached term statistics expire.
    await using (var settle = new Npgsql.NpgsqlConnection(retrievalDatabase))
    {
        await settle.OpenAsync();
        await using var vacuum = new Npgsql.NpgsqlCommand("VACUUM ANALYZE", settle) { CommandTimeout = 600 };
        await vacuum.ExecuteNonQueryAsync();
    }
    await Task.Delay(Genie.Retrieval.Search.TermStatistics.MaxAge + TimeSpan.FromSeconds(1));
    searchLabel = $"Retrieval service over gRPC (hybrid, builtin embedder; ingested in {ingest.Elapsed.TotalSeconds:F0} s, then VACUUM ANALYZE)";
}
else if (options.Search == "empty")
{
    chunkCount = 0;
    search = new EmptySearch();
    searchLabel = "none: every question is not covered (the floor: transport, auth, two database round trips, gap record)";
}
else
{
    var chunks = HandbookCorpus.Load(options.DataFolder, options.Chunks);
    chunkCount = chunks.Count;
    search = new Bm25Index(chunks);
    searchLabel = "in-process BM25 (isolates the Agent)";
}
Console.WriteLine($"Genie.Agent.Bench  cores={Environment.ProcessorCount}  load average {Machine.LoadAverage}  chunks={chunkCount}  model=builtin  search={searchLabel}");

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
using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
var client = new AgentService.AgentServiceClient(channel);

if (options.Show)
{
    foreach (var question in Questions.All.Take(6))
    {
        var sample = await Chat.RunAsync(client, host.IssueToken(Roles.Learner, "show"), question);
        Console.WriteLine($"\nQ: {question}\nA: {sample.Answer}\n   cites: {string.Join(" | ", sample.Citations)}");
    }
    Console.WriteLine();
}

// The Agent's own computing, measured on the in-process index whatever the chats below search with.
await ComputeCost.PrintAsync(search ?? new Bm25Index(HandbookCorpus.Load(options.DataFolder, 2_000)), Questions.All, 200);
using var stages = new StageRecorder();
var machine = new Machine(cluster.DataDirectory);
// Long enough that tiered compilation has settled on both paths: the numbers below are steady state.
await Measure("warm-up", 1, 50, quiet: true);
await Measure("warm-up", 32, 15, quiet: true);
await Measure("1 concurrent", 1, options.Requests);
await Measure("32 concurrent", 32, Math.Max(1, options.Requests / 8));
await MeasureUnary("GetServiceInfo", 32, Math.Max(1, options.Requests / 4));
if (retrievalHost is not null) await retrievalHost.DisposeAsync();

// The transport's own floor: a unary call with token validation and no work behind it.
async Task MeasureUnary(string label, int concurrency, int perWorker)
{
    var token = host.IssueToken(Roles.Learner, "bench-unary");
    var cpuBefore = machine.Sample();
    var wall = Stopwatch.StartNew();
    var times = (await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        var local = new List<double>();
        for (var i = 0; i < perWorker; i++)
        {
            var clock = Stopwatch.StartNew();
            await client.GetServiceInfoAsync(new GetServiceInfoRequest(), BearerToken.Options(token));
            local.Add(clock.Elapsed.TotalMilliseconds);
        }
        return local;
    }))).SelectMany(t => t).ToList();
    var cpu = machine.Sample() - cpuBefore;
    Console.WriteLine($"{label} (unary, transport and auth only), {concurrency} concurrent: {times.Count / wall.Elapsed.TotalSeconds:F0} calls/s, " +
                      $"p50 {P([.. times.Order()], 50):F1} ms, p95 {P([.. times.Order()], 95):F1} ms, CPU {cpu.Process.TotalMilliseconds / times.Count:F2} ms per call; load average {Machine.LoadAverage}");
}

async Task Measure(string label, int concurrency, int perWorker, bool quiet = false)
{
    var results = new List<Chat.Timing>();
    var loadBefore = Machine.LoadAverage;
    var cpuBefore = machine.Sample();
    var (agentCommands, retrievalCommands) = (stages.Commands("agent_bench"), stages.Commands("retrieval_bench"));
    var wall = Stopwatch.StartNew();
    var workers = Enumerable.Range(0, concurrency).Select(async w =>
    {
        var token = host.IssueToken(Roles.Learner, $"bench-{label}-{w}");
        var local = new List<Chat.Timing>();
        var conversationId = "";
        for (var i = 0; i < perWorker; i++)
        {
            // Conversations of options.Turns questions: later turns load the recent messages and the rolling summary.
            if (i % options.Turns == 0) conversationId = "";
            var question = Questions.All[(w * 7 + i) % Questions.All.Count];
            var chat = await Chat.RunAsync(client, token, question, conversationId);
            conversationId = chat.Timing.ConversationId;
            local.Add(chat.Timing);
        }
        return local;
    });
    foreach (var local in await Task.WhenAll(workers)) results.AddRange(local);
    wall.Stop();
    var cpu = machine.Sample() - cpuBefore;
    if (quiet)
    {
        foreach (var r in results) stages.Take(r.MessageId);
        return;
    }
    var n = (double)results.Count;
    var server = results.Select(r => (Client: r, Server: stages.Take(r.MessageId))).Where(x => x.Server is not null).ToList();
    Console.WriteLine(
        $"{label}: {results.Count} chats in {wall.Elapsed.TotalSeconds:F1} s = {results.Count / wall.Elapsed.TotalSeconds:F1} chats/s, " +
        $"{options.Turns} questions per conversation, not covered {results.Count(r => r.NotCovered) / n:P0}; load average {loadBefore} -> {Machine.LoadAverage}");
    Console.WriteLine($"  {"",-22}{"p50",9}{"p95",9}");
    Row("to first delta", results.Select(r => r.FirstDelta.TotalMilliseconds));
    Row("to completion", results.Select(r => r.Completion.TotalMilliseconds));
    Row("  context (agent db)", server.Select(x => x.Server!.Context));
    Row("  search", server.Select(x => x.Server!.Search));
    Row("  generation", server.Select(x => x.Server!.Generation));
    Row("  store (agent db)", server.Select(x => x.Server!.Store));
    Row("  other in handler", server.Select(x => x.Server!.Other));
    Row("  outside handler", server.Select(x => x.Client.Completion.TotalMilliseconds - x.Server!.Total));
    Console.WriteLine(
        $"  per chat: CPU {cpu.Process.TotalMilliseconds / n:F1} ms in this process (client, Agent, Retrieval), {cpu.Postgres.TotalMilliseconds / n:F1} ms in PostgreSQL; " +
        $"db commands: Agent {(stages.Commands("agent_bench") - agentCommands) / n:F1} ({stages.PreparedShare("agent_bench"):F0} % prepared), " +
        $"Retrieval {(stages.Commands("retrieval_bench") - retrievalCommands) / n:F1}");
}

static void Row(string name, IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    if (sorted.Length == 0) return;
    Console.WriteLine($"  {name,-22}{P(sorted, 50),9:F1}{P(sorted, 95),9:F1} ms");
}

static double P(double[] sorted, int percentile) =>
    sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];

internal static class Chat
{
    public sealed record Timing(TimeSpan FirstDelta, TimeSpan Completion, bool NotCovered, string ConversationId, string MessageId);

    public sealed record Result(Timing Timing, string Answer, IReadOnlyList<string> Citations);

    public static async Task<Result> RunAsync(AgentService.AgentServiceClient client, string token, string question, string conversationId = "")
    {
        var clock = Stopwatch.StartNew();
        TimeSpan? first = null;
        var answer = new System.Text.StringBuilder();
        var citations = new List<string>();
        var notCovered = false;
        string id = "", messageId = "";
        using var call = client.Chat(new ChatRequest { Message = question, ConversationId = conversationId }, BearerToken.Options(token));
        await foreach (var e in call.ResponseStream.ReadAllAsync())
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
                    id = e.Completed.ConversationId;
                    messageId = e.Completed.MessageId;
                    break;
            }
        }
        var total = clock.Elapsed;
        return new Result(new Timing(first ?? total, total, notCovered, id, messageId), answer.ToString(), citations);
    }
}

internal sealed record BenchOptions(string DataFolder, int Chunks, int Requests, int Turns, bool Show, string Search)
{
    public static BenchOptions Parse(string[] args)
    {
        string? data = null;
        int chunks = 10_000, requests = 100, turns = 3;
        var show = false;
        var search = "retrieval";
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--data": data = args[++i]; break;
                case "--chunks": chunks = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--requests": requests = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--turns": turns = Math.Max(1, int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture)); break;
                case "--show": show = true; break;
                case "--search": search = args[++i] switch
                {
                    "retrieval" or "bm25" or "empty" => args[i],
                    var other => throw new ArgumentException($"--search {other}: use retrieval, bm25 or empty"),
                }; break;
                default: throw new ArgumentException($"Unknown option {args[i]}. Options: --data DIR --chunks N --requests N --turns N --search retrieval|bm25|empty --show");
            }
        }
        data ??= FindSharedData() ?? throw new ArgumentException("Pass --data DIR (the shared 18F corpora, ../shared/data).");
        return new BenchOptions(data, chunks, requests, turns, show, search);
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
