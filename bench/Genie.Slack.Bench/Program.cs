using System.Globalization;
using System.Text.Json.Nodes;
using Genie.Contracts.Retrieval.V1;
using Genie.Testing;
using Genie.Testing.FakeSlack;
using Genie.Testing.Hosts;

// The Slack adapter end to end against the fake Slack: a DM event pushed over Socket Mode → the Slack service →
// Web (user token) → Agent (built-in model) → Retrieval (real hybrid search over handbook pages) → placeholder,
// chat.update, final Block Kit message. Prints time from the event to the first visible answer text (the first
// chat.update of the placeholder) and to the final message, p50/p95, at 1 and 32 concurrent conversations, and the
// Slack Web API calls per answer. The adapter runs with its production update interval (1 s).
// Usage: dotnet run -c Release --project bench/Genie.Slack.Bench [-- --data DIR --pages N --answers N]
var data = Arg("--data") ?? Path.Combine(RepoPaths.Root, "..", "shared", "data", "18f-handbook", "pages");
var pageCount = int.Parse(Arg("--pages") ?? "40", CultureInfo.InvariantCulture);
var answersPerLevel = int.Parse(Arg("--answers") ?? "64", CultureInfo.InvariantCulture);

var system = await SlackSystem.StartAsync(new Dictionary<string, string?>
{
    ["Genie:Slack:UpdateInterval"] = "00:00:01",
    ["Logging:LogLevel:Default"] = "Warning",
});
try
{
    var people = new List<(Guid GenieId, string SlackId)>();
    for (var i = 0; i < 32; i++)
        people.Add(await system.AddPersonAsync());
    var pages = Directory.EnumerateFiles(data, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(pageCount)
        .Select(path => (Path.GetFileName(path), File.ReadAllText(path))).ToList();
    await system.Retrieval.CreateKbWithDocumentsAsync("Handbook", new Grants { UserIds = { people.Select(p => p.GenieId.ToString()) } }, pages);
    string[] questions =
    [
        "How do I request leave?", "What is the travel policy?", "How do I get a laptop?", "Who do I ask about security?",
        "How are projects staffed?", "What tools do we use for chat?", "How do I onboard as a new employee?", "What are working hours?",
    ];
    Console.WriteLine($"Genie.Slack.Bench  cores={Environment.ProcessorCount}  load average {ProcFs.LoadAverage}  pages={pages.Count}  model=builtin  " +
        "Slack=fake over loopback (Socket Mode in, Web API out)  update interval=1 s");

    await AskAsync(people[0].SlackId, questions[0]); // warm-up: connections, JIT, caches
    foreach (var concurrency in new[] { 1, 32 })
    {
        var total = concurrency == 1 ? Math.Min(answersPerLevel, 20) : answersPerLevel;
        var callsBefore = system.FakeSlack.Calls.Count;
        var load = ProcFs.LoadAverage;
        var results = new List<(double First, double Final)>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            while (Interlocked.Increment(ref next) < total)
            {
                var result = await AskAsync(people[worker].SlackId, questions[(next + worker) % questions.Length]);
                lock (results)
                    results.Add(result);
            }
        }));
        var calls = system.FakeSlack.Calls.Skip(callsBefore).ToList();
        var perMethod = string.Join(", ", calls.GroupBy(c => c.Method).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {(double)g.Count() / total:0.##}"));
        Console.WriteLine($"concurrency {concurrency,2}: {total} answers  first visible text p50 {P(results.Select(r => r.First), 50):0} ms p95 {P(results.Select(r => r.First), 95):0} ms  " +
            $"final message p50 {P(results.Select(r => r.Final), 50):0} ms p95 {P(results.Select(r => r.Final), 95):0} ms  load average before {load}");
        Console.WriteLine($"               Slack API calls per answer {(double)calls.Count / total:0.##} ({perMethod})");
    }
}
finally
{
    await system.DisposeAsync();
}

async Task<(double First, double Final)> AskAsync(string slackId, string question)
{
    var start = DateTimeOffset.UtcNow;
    var ev = await system.SendEventAsync(system.FakeSlack.DirectMessage(slackId, question));
    var final = await system.FinalAnswerAsync("D" + slackId, (string)ev["ts"]!, timeout: TimeSpan.FromMinutes(5));
    var updates = system.FakeSlack.CallsTo("chat.update").Where(c => (string?)c.Body["ts"] == final.Ts && c.Status == 200).ToList();
    var last = updates.Last(c => c.Body["blocks"] is JsonArray blocks && blocks.OfType<JsonObject>().Any(b => (string?)b["type"] == "actions"));
    return ((updates[0].At - start).TotalMilliseconds, (last.At - start).TotalMilliseconds);
}

static double P(IEnumerable<double> values, int percentile)
{
    var sorted = values.Order().ToArray();
    return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];
}

string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
