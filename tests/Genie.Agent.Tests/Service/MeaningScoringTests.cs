using System.Collections.Concurrent;
using Genie.Agent.Knowledge;
using Genie.Contracts.Retrieval.V1;
using Genie.Testing;
using Genie.Testing.Hosts;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;

namespace Genie.Agent.Tests.Service;

/// <summary>The built-in answerer asks the knowledge source to score its sentences by meaning, and answers without it when it cannot.</summary>
public sealed class MeaningScoringTests
{
    private const string Echo = "Parental leave is a benefit we are proud of.";
    private const string Answer = "New parents get 12 weeks off with full pay.";

    /// <summary>One passage; meaning scores from <paramref name="score"/> (null: this source cannot score).</summary>
    private sealed class ParentalLeaveSearch(Func<string, double>? score) : IKnowledgeSearch
    {
        public ConcurrentQueue<SentenceScoring> Scorings { get; } = new();

        public string? SearchToken { get; private set; }

        public Task<IReadOnlyList<KnowledgeHit>> SearchAsync(KnowledgeQuery query, CancellationToken cancellationToken)
        {
            SearchToken = query.UserToken;
            return Task.FromResult<IReadOnlyList<KnowledgeHit>>(
                [new KnowledgeHit("benefits.md#0", "kb-benefits", $"{Echo} {Answer}", Echo, "Benefits", "benefits.md", "Benefits", "handbook", 0.9)]);
        }

        public Task<IReadOnlyList<double>?> ScoreSentencesAsync(SentenceScoring request, CancellationToken cancellationToken)
        {
            Scorings.Enqueue(request);
            return Task.FromResult<IReadOnlyList<double>?>(score is null ? null : request.Sentences.Select(score).ToList());
        }
    }

    [Fact]
    public async Task The_built_in_answer_leads_with_the_sentence_closest_in_meaning_scored_with_the_callers_token()
    {
        var search = new ParentalLeaveSearch(sentence => sentence == Answer ? 0.71 : 0.52);
        await using var agent = await AgentTestHost.StartAsync(search);

        var result = await ChatResult.AskAsync(agent.Client, agent.As("pat"), "How long is parental leave?");

        Assert.StartsWith(Answer, result.Answer);
        var scoring = Assert.Single(search.Scorings);
        Assert.Equal("kb-benefits", scoring.KnowledgeBaseId);
        Assert.Equal(search.SearchToken, scoring.UserToken); // the caller's own token, as for search
        Assert.Equal([Echo, Answer], scoring.Sentences);
    }

    [Fact]
    public async Task Without_meaning_scores_the_answer_is_scored_by_words()
    {
        var search = new ParentalLeaveSearch(null);
        await using var agent = await AgentTestHost.StartAsync(search);

        var result = await ChatResult.AskAsync(agent.Client, agent.As("pat"), "How long is parental leave?");

        Assert.StartsWith(Echo, result.Answer);
        Assert.Single(search.Scorings);
    }

    [Fact]
    public async Task Retrieval_unreachable_for_scoring_means_no_meaning_scores_not_a_failed_answer()
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{FreePort.Next()}");
        var search = new RetrievalKnowledgeSearch(new RetrievalService.RetrievalServiceClient(channel), NullLogger<RetrievalKnowledgeSearch>.Instance);

        var scores = await search.ScoreSentencesAsync(new SentenceScoring("How long is parental leave?", [Answer], "token", "kb-1"), CancellationToken.None);

        Assert.Null(scores);
    }
}
