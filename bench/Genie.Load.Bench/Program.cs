using System.Diagnostics;
using Genie.Contracts.Agent.V1;
using Genie.Contracts.Retrieval.V1;
using Genie.Load.Bench;
using Genie.Testing;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Grpc.Core;
using Grpc.Net.Client;

// Many learners chatting at once through the real gRPC path (and with --sse through the portal's Server-Sent Events
// path): Retrieval, Agent (built-in model), Web and PostgreSQL; the services in this one process, or with --processes
// each in its own OS process as deployed; PostgreSQL always in its own. Each step holds N learners (distinct users),
// each asking again as soon as an answer completes, for --seconds; the service limits (Genie:Limits) stay at their
// defaults so the table shows what a caller sees past capacity.
var steps = Arg("--steps", "1,8,32,128,512,1000").Split(',').Select(int.Parse).ToArray();
var seconds = int.Parse(Arg("--seconds", "15"));
var portalPath = args.Contains("--sse");
var separateProcesses = args.Contains("--processes");

Console.WriteLine($"Genie.Load.Bench  cores={Environment.ProcessorCount}  load average {ProcFs.LoadAverage}  steps={string.Join(",", steps)}  {seconds} s each");
Console.WriteLine(separateProcesses
    ? "Retrieval, Agent (and Web with --sse) each in its own process (dotnet services/X/bin/…/X.dll), built-in embedder and model; PostgreSQL its own process; the client in the bench's process."
    : "Retrieval, Agent (and Web with --sse) in this one process, built-in embedder and model; PostgreSQL its own process; the client in this process too.");
await using IBenchServices services = separateProcesses ? await ProcessServices.StartAsync(portalPath) : await InProcessServices.StartAsync(portalPath);
var cluster = await PostgresCluster.GetSharedAsync();
var meter = new Meter(cluster, services.Processes);

using var channel = GrpcChannel.ForAddress(services.AgentGrpcAddress, new GrpcChannelOptions
{
    HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
});
var client = new AgentService.AgentServiceClient(channel);
string[] questions = ["Where do I collect my building badge?", "How long does a badge take?", "What do I bring to get my badge?", "Who do I ask about a lost badge?"];

Console.WriteLine();
Console.WriteLine("gRPC path: AgentService.Chat over one GrpcChannel (generated client), each learner its own token.");
await RunStepsAsync(async (learner, question, firstToken) =>
{
    try
    {
        var token = services.Tokens.Issue($"learner-{learner}", $"learner-{learner}@example.test", $"learner-{learner}", Roles.Learner);
        using var call = client.Chat(new ChatRequest { Bot = "onboarding", Message = question }, BearerToken.Options(token, TimeSpan.FromSeconds(60)));
        await foreach (var e in call.ResponseStream.ReadAllAsync())
        {
            if (e.EventCase == ChatEvent.EventOneofCase.Delta)
                firstToken();
        }
        return Outcome.Completed;
    }
    catch (RpcException e)
    {
        return new Outcome(e.StatusCode.ToString(), int.TryParse(e.Trailers.GetValue("retry-after"), out var wait) ? wait : null);
    }
});

if (services.Portal is { } portal)
{
    var signIn = Stopwatch.StartNew();
    var browsers = await portal.TakeAsync(steps.Max());
    Console.WriteLine();
    Console.WriteLine($"Portal path: POST /Chat?handler=Ask with Accept: text/event-stream, each learner signed in with its own cookie ({browsers.Count} signed in in {signIn.Elapsed.TotalSeconds:F0} s); the portal relays Agent's stream.");
    await RunStepsAsync(async (learner, question, firstToken) =>
    {
        try
        {
            using var response = await browsers[learner].SendAsync(await portal.AskAsync(browsers[learner], question), HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode != System.Net.HttpStatusCode.OK)
                return new Outcome($"HTTP {(int)response.StatusCode}", (int?)response.Headers.RetryAfter?.Delta?.TotalSeconds);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            var failed = false;
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line == "event: delta") firstToken();
                else if (line == "event: error") failed = true;
            }
            return failed ? new Outcome("SSE error event", null) : Outcome.Completed;
        }
        catch (HttpRequestException e)
        {
            // A failed GET of the chat page (for its anti-forgery token) has a status; a broken connection has none.
            return new Outcome(e.StatusCode is { } status ? $"HTTP {(int)status} on GET /Chat" : e.HttpRequestError.ToString(), null);
        }
        catch (TaskCanceledException)
        {
            return new Outcome("client timeout (100 s)", null);
        }
    });
}

// One chat first (not counted: the services' first answers include JIT and connection set-up), then the steps.
async Task RunStepsAsync(Func<int, string, Action, Task<Outcome>> chatOnce)
{
    var warmUp = await chatOnce(0, questions[0], () => { });
    if (warmUp.Error is { } error)
        throw new InvalidOperationException($"The warm-up chat failed: {error}");
    PrintHeader();
    foreach (var learners in steps)
        await StepAsync(learners, chatOnce);
}

static void PrintHeader()
{
    Console.WriteLine("| open streams | chats/s | first token p50/p95/p99 ms | completed p50/p95/p99 ms | errors by status | RSS MiB / CPU % per process | PostgreSQL CPU % / connections (max) | load avg |");
    Console.WriteLine("|---:|---:|---|---|---|---|---|---|");
}

// Each learner asks again as soon as an answer completes, and after a refusal waits what retry-after says.
async Task StepAsync(int learners, Func<int, string, Action, Task<Outcome>> chatOnce)
{
    var first = new List<double>();
    var done = new List<double>();
    var errors = new Dictionary<string, int>();
    var before = meter.Sample();
    var connections = 0;
    var postgresFull = false;
    using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
    var sampling = Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            if (await meter.ConnectionsAsync() is { } now)
                connections = Math.Max(connections, now);
            else
                postgresFull = true;
            await Task.WhenAny(Task.Delay(500, stop.Token));
        }
    });
    var wall = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, learners).Select(learner => Task.Run(async () =>
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var clock = Stopwatch.StartNew();
            double? firstToken = null;
            var outcome = await chatOnce(learner, questions[(learner + n) % questions.Length], () => firstToken ??= clock.Elapsed.TotalMilliseconds);
            lock (done)
            {
                if (outcome.Error is null)
                {
                    done.Add(clock.Elapsed.TotalMilliseconds);
                    if (firstToken is { } f) first.Add(f);
                }
                else
                    errors[outcome.Error] = errors.GetValueOrDefault(outcome.Error) + 1;
            }
            if (outcome.RetryAfterSeconds is { } wait)
                await Task.WhenAny(Task.Delay(TimeSpan.FromSeconds(wait), stop.Token));
        }
    })));
    var elapsed = wall.Elapsed.TotalSeconds;
    await sampling;
    var used = meter.Sample() - before;
    string P(List<double> xs) => xs.Count == 0 ? "–" : $"{Percentile(xs, 50):F0}/{Percentile(xs, 95):F0}/{Percentile(xs, 99):F0}";
    var errorText = errors.Count == 0 ? "none" : string.Join(", ", errors.OrderBy(e => e.Key).Select(e => $"{e.Key} {e.Value}"));
    Console.WriteLine($"| {learners} | {done.Count / elapsed:F1} | {P(first)} | {P(done)} | {errorText} | {string.Join(" · ", used.Processes.Select(p => $"{p.Name} {p.RssMiB:F0} / {100 * p.Cpu.TotalSeconds / elapsed:F0}"))} | " +
        $"{100 * used.Postgres.TotalSeconds / elapsed:F0} / {(postgresFull ? "all of max_connections (too many clients)" : connections)} | {ProcFs.LoadAverage} |");
}

static double Percentile(List<double> values, int p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
}

string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

/// <summary>How one chat ended: completed (no error), or the status it failed with and any retry-after.</summary>
internal sealed record Outcome(string? Error, int? RetryAfterSeconds)
{
    public static readonly Outcome Completed = new(null, null);
}
