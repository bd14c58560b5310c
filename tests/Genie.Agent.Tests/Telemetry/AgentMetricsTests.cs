using Genie.Agent.Answering;
using Genie.Agent.Telemetry;
using Genie.Agent.Tests.Support;
using Genie.Contracts.Agent.V1;
using Genie.Testing.Hosts;
using Microsoft.Extensions.DependencyInjection;

namespace Genie.Agent.Tests.Telemetry;

/// <summary>The Agent's metrics: answer latency, time to first token, the "don't know" rate and the feedback ratio.</summary>
public sealed class AgentMetricsTests : IAsyncLifetime
{
    private AgentTestHost _agent = null!;
    private AgentTelemetry _telemetry = null!;

    public async Task InitializeAsync()
    {
        _agent = await AgentTestHost.StartAsync(new RecordingHandbookSearch());
        _telemetry = _agent.Host.Services.GetRequiredService<AgentTelemetry>();
    }

    public async Task DisposeAsync() => await _agent.DisposeAsync();

    [Fact]
    public async Task Every_answer_records_its_latency_time_to_first_token_and_whether_the_docs_covered_it()
    {
        using var metrics = new MetricRecorder(_telemetry.AnswerLatency, _telemetry.TimeToFirstToken, _telemetry.Answers);
        var user = _agent.As("mia");

        await ChatResult.AskAsync(_agent.Client, user, "How long does it take to get a PIV card?");
        var uncovered = await ChatResult.AskAsync(_agent.Client, user, "How do I configure the Kubernetes service mesh?");
        await ChatResult.AskAsync(_agent.Client, user, "What is the parking reimbursement rate?");

        Assert.Equal(ExtractiveComposer.NotCoveredAnswer, uncovered.Answer);
        var latencies = metrics.Of(_telemetry.AnswerLatency);
        Assert.Equal(3, latencies.Count);
        Assert.All(latencies, m => Assert.True(m.Value > 0));
        Assert.All(latencies, m => Assert.Equal("onboarding", m.Tags["genie.bot"]));
        var firstTokens = metrics.Of(_telemetry.TimeToFirstToken);
        Assert.Equal(3, firstTokens.Count);
        Assert.All(firstTokens.Zip(latencies), pair => Assert.True(pair.First.Value <= pair.Second.Value, "the first token comes before the stored answer"));
        var answers = metrics.Of(_telemetry.Answers);
        Assert.Equal(3, answers.Sum(m => m.Value));
        var dontKnowRate = answers.Where(m => m.Tags["not_covered"] is true).Sum(m => m.Value) / answers.Sum(m => m.Value);
        Assert.Equal(2 / 3.0, dontKnowRate, 6);
        Assert.All(answers, m => Assert.Equal((false, false), ((bool)m.Tags["fallback"]!, (bool)m.Tags["incomplete"]!)));
    }

    [Fact]
    public async Task Feedback_is_counted_by_rating_so_the_ratio_of_thumbs_up_can_be_read()
    {
        using var metrics = new MetricRecorder(_telemetry.FeedbackCount);
        var user = _agent.As("nils");
        var first = await ChatResult.AskAsync(_agent.Client, user, "How do I request annual leave?");
        var second = await ChatResult.AskAsync(_agent.Client, user, "How do I set up my laptop?");
        var third = await ChatResult.AskAsync(_agent.Client, user, "How do I request a code review?");

        foreach (var (chat, rating) in new[] { (first, Rating.Up), (second, Rating.Up), (third, Rating.Down) })
            await _agent.Client.SubmitFeedbackAsync(new SubmitFeedbackRequest { MessageId = chat.Completed.MessageId, Rating = rating }, user);

        var feedback = metrics.Of(_telemetry.FeedbackCount);
        Assert.Equal(3, feedback.Sum(m => m.Value));
        var upRatio = feedback.Where(m => (string?)m.Tags["rating"] == "up").Sum(m => m.Value) / feedback.Sum(m => m.Value);
        Assert.Equal(2 / 3.0, upRatio, 6);
    }
}
