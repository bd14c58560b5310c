using Genie.Retrieval.Eval;
using Genie.Retrieval.Search;
using Genie.Testing;
using Microsoft.Extensions.Configuration;
using Xunit.Abstractions;

namespace Genie.Retrieval.Tests.Eval;

public class DevSetTests(ITestOutputHelper output)
{
    private sealed class OutputWriter(ITestOutputHelper output) : StringWriter
    {
        public override void WriteLine(string? value) => output.WriteLine(value ?? "");
    }

    [Fact]
    public async Task Hybrid_search_beats_vector_and_text_alone_on_the_dev_set()
    {
        var devset = Path.Combine(AppContext.BaseDirectory, "Eval", "devset");
        var connection = await (await PostgresCluster.GetSharedAsync()).CreateDatabaseAsync("devset");
        await using var provider = await EvalCommand.BuildServicesAsync(connection, new ConfigurationBuilder().Build());

        var report = await EvalCommand.EvaluateAsync(provider, Path.Combine(devset, "corpus"), EvalQuestion.Load(Path.Combine(devset, "questions.jsonl")),
            "builtin", null, keep: false, new OutputWriter(output), default);

        Assert.Equal(8, report.Ingestion.Added);
        var hybrid = report.Metrics[SearchMode.Hybrid];
        var vector = report.Metrics[SearchMode.Vector];
        var text = report.Metrics[SearchMode.Text];
        Assert.Equal(22, hybrid.Count);
        Assert.True(hybrid.MeanReciprocalRank >= vector.MeanReciprocalRank && hybrid.MeanReciprocalRank >= text.MeanReciprocalRank,
            $"MRR hybrid {hybrid.MeanReciprocalRank:F3}, vector {vector.MeanReciprocalRank:F3}, text {text.MeanReciprocalRank:F3}");
        Assert.True(hybrid.RecallAt(5) >= 0.9, $"hybrid R@5 {hybrid.RecallAt(5):F3}");
    }

    [Fact]
    public void Metrics_follow_their_definitions()
    {
        var metrics = new RetrievalMetrics();
        metrics.Add(["a", "b", "c"], ["b"]);
        metrics.Add(["x", "y"], ["z"]);
        metrics.Add(["p", "q"], ["p", "missing"]);

        Assert.Equal((0 + 0 + 0.5) / 3, metrics.RecallAt(1), 10);
        Assert.Equal((1 + 0 + 0.5) / 3, metrics.RecallAt(5), 10);
        Assert.Equal((0.5 + 0 + 1) / 3, metrics.MeanReciprocalRank, 10);
    }
}
