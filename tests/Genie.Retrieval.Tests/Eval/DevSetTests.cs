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
        Assert.Equal(22, report.Peer.Count);
        Assert.True(report.Peer.RecallAt(5) >= 0.9, $"BM25 peer R@5 {report.Peer.RecallAt(5):F3}");
    }

    [Fact]
    public async Task Unanswerable_questions_are_counted_and_left_out_of_the_scores()
    {
        var devset = Path.Combine(AppContext.BaseDirectory, "Eval", "devset");
        var questions = Path.Combine(Path.GetTempPath(), $"questions-{Guid.NewGuid():N}.jsonl");
        File.WriteAllLines(questions, [
            """{"question": "Which port does the gRPC health check use?", "answers_in": ["apphost.md"]}""",
            """{"question": "What is the per diem rate for Denver?", "answers_in": []}""",
            """{"question": "How are secrets sealed?", "answers_in": ["authentication.md"], "fact": "AES"}""",
        ]);
        try
        {
            var loaded = EvalQuestion.Load(questions);
            Assert.Equal([true, false, true], loaded.Select(q => q.Answerable));
            Assert.Equal("AES", loaded[2].Fact);

            var connection = await (await PostgresCluster.GetSharedAsync()).CreateDatabaseAsync("unanswerable");
            await using var provider = await EvalCommand.BuildServicesAsync(connection, new ConfigurationBuilder().Build());
            var printed = new StringWriter();
            var report = await EvalCommand.EvaluateAsync(provider, Path.Combine(devset, "corpus"), loaded, "builtin", null, keep: false, printed, default);

            Assert.Equal(1, report.Unanswerable);
            Assert.Equal(2, report.Metrics[SearchMode.Hybrid].Count);
            Assert.Equal(2, report.Peer.Count);
            Assert.Contains("2 questions scored, 1 unanswerable skipped", printed.ToString());
            Assert.Contains("bm25 peer", printed.ToString());
        }
        finally
        {
            File.Delete(questions);
        }
    }

    [Fact]
    public async Task Answers_mode_asks_the_onboarding_bot_and_scores_citations_facts_and_declines()
    {
        var devset = Path.Combine(AppContext.BaseDirectory, "Eval", "devset");
        EvalQuestion[] questions =
        [
            new("Which port does the gRPC health check use?", ["apphost.md"]),
            new("How are secrets sealed?", ["authentication.md"], "AES"),
            new("What is the per diem rate for travel to Denver?", []),
        ];
        var connection = await (await PostgresCluster.GetSharedAsync()).CreateDatabaseAsync("answers");
        await using var provider = await EvalCommand.BuildServicesAsync(connection, new ConfigurationBuilder().Build());
        var printed = new StringWriter();

        var report = await EvalCommand.EvaluateAsync(provider, Path.Combine(devset, "corpus"), questions, "builtin", null, keep: false, printed, default,
            answersConnection: connection, verbose: true);
        output.WriteLine(printed.ToString());

        var answers = Assert.IsType<AnswerEval.AnswerMetrics>(report.Answers);
        Assert.Equal((2, 1, 1), (answers.Answerable, answers.WithFact, answers.Unanswerable));
        Assert.Equal(1, answers.Declined); // nothing in Genie's docs covers per diem rates
        Assert.Contains("citation accuracy", printed.ToString());
        Assert.Contains("decline rate        1.000  (1/1 unanswerable declined)", printed.ToString());
    }

    [Fact]
    public void Answer_scores_follow_their_definitions()
    {
        EvalQuestion[] questions =
        [
            new("q1", ["a.md"], "12 weeks"),
            new("q2", ["b.md"], "Pa11y"),
            new("q3", ["c.md"]),
            new("q4", []),
            new("q5", []),
        ];
        AnswerEval.Answer[] answers =
        [
            new("You get 12\nweeks [1].", ["a.md", "x.md"], false), // first citation gold, fact across a line break
            new("Use a scanner [1].", ["x.md", "b.md"], false),     // gold cited second only, fact missing
            new("The documentation does not cover this.", [], true), // a false decline
            new("Sorry, not covered.", [], true),
            new("Denver is nice [1].", ["d.md"], false),
        ];

        var metrics = AnswerEval.Score(questions, answers);

        Assert.Equal((3, 1, 2, 1, 2, 1, 1), (metrics.Answerable, metrics.CitedGold, metrics.WithFact, metrics.FactFound, metrics.Unanswerable,
            metrics.Declined, metrics.FalseDeclines));
        Assert.Equal(1 / 3.0, metrics.CitationAccuracy, 10);
        Assert.Equal(0.5, metrics.FactAccuracy, 10);
        Assert.Equal(0.5, metrics.DeclineRate, 10);
        Assert.Equal(1 / 3.0, metrics.FalseDeclineRate, 10);
    }

    [Fact]
    public void A_line_without_answers_in_is_refused_with_its_line_number()
    {
        var questions = Path.Combine(Path.GetTempPath(), $"questions-{Guid.NewGuid():N}.jsonl");
        File.WriteAllLines(questions, ["""{"question": "a", "answers_in": []}""", """{"question": "b"}"""]);
        try
        {
            var error = Assert.Throws<FormatException>(() => EvalQuestion.Load(questions));
            Assert.Contains(":2:", error.Message);
        }
        finally
        {
            File.Delete(questions);
        }
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
