using Genie.Agent.Answering;
using Genie.Agent.Prompting;
using Genie.Contracts.Agent.V1;
using Genie.Contracts.Retrieval.V1;
using Genie.Retrieval.Api;
using Genie.Testing.Hosts;
using Grpc.Core;

namespace Genie.Retrieval.Tests.Service;

public class ScoreSentencesTests(RetrievalTestHost service) : IClassFixture<RetrievalTestHost>
{
    private const string Question = "How long is parental leave?";
    private const string Answer = "New parents get 12 weeks off with full pay.";
    private const string Echo = "Parental leave is a benefit we are proud of.";

    private async Task<KnowledgeBase> ModelKbAsync(string name, Grants? grants = null) =>
        await service.Client.CreateKnowledgeBaseAsync(new CreateKnowledgeBaseRequest
        {
            Name = name,
            Grants = grants ?? new Grants { Roles = { "learner" } },
            Embedder = new EmbedderSpec { Provider = "builtin-model" },
        }, service.Admin);

    [Fact]
    public async Task The_knowledge_bases_model_scores_the_sentence_that_answers_above_one_that_only_repeats_the_words()
    {
        var kb = await ModelKbAsync("score-model");

        var response = await service.Client.ScoreSentencesAsync(new ScoreSentencesRequest
        {
            Query = Question,
            Sentences = { Echo, Answer, "Expense reports are due every Friday." },
            KnowledgeBaseId = kb.Id,
        }, service.As("learner"));

        Assert.Equal("builtin-model", response.Embedder.Provider);
        Assert.Equal(3, response.Scores.Count);
        Assert.True(response.Scores[1] > response.Scores[0] && response.Scores[1] > response.Scores[2], string.Join(", ", response.Scores));
    }

    [Fact]
    public async Task With_the_models_scores_the_built_in_answerer_states_the_fact_first()
    {
        var kb = await ModelKbAsync("score-answer");
        SourceFence.FencedSource[] sources = [new(1, "Benefits", "benefits.md", "Benefits", Echo + " " + Answer)];
        var sentences = ExtractiveComposer.Sentences(sources);

        var scores = await service.Client.ScoreSentencesAsync(new ScoreSentencesRequest { Query = Question, Sentences = { sentences }, KnowledgeBaseId = kb.Id },
            service.As("learner"));

        Assert.StartsWith(Echo, ExtractiveComposer.Compose(Question, sources, AnswerLength.Short));
        var answer = ExtractiveComposer.Compose(Question, sources, AnswerLength.Short, scores.Scores);
        Assert.True(answer.StartsWith(Answer), $"{answer} | {string.Join(" | ", sentences)} | {string.Join(", ", scores.Scores)}");
    }

    [Fact]
    public async Task Without_a_knowledge_base_the_service_default_embedder_scores()
    {
        var response = await service.Client.ScoreSentencesAsync(
            new ScoreSentencesRequest { Query = "badge office hours", Sentences = { "The badge office is open 9 to 5.", "Lunch is at noon." } }, service.As("learner"));

        Assert.Equal("builtin", response.Embedder.Provider); // the test host's default
        Assert.True(response.Scores[0] > response.Scores[1]);
    }

    [Fact]
    public async Task A_learner_without_a_grant_cannot_use_the_knowledge_bases_embedder()
    {
        var kb = await service.CreateKbAsync("score-secret", new Grants());

        var error = await Assert.ThrowsAsync<RpcException>(async () => await service.Client.ScoreSentencesAsync(
            new ScoreSentencesRequest { Query = "anything", Sentences = { "one" }, KnowledgeBaseId = kb.Id }, service.As("learner")));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.StartsWith("knowledge_base_id:", error.Status.Detail);
    }

    public static TheoryData<string, string[], string> BadInput => new()
    {
        { "", ["one"], "query" },
        { new string('q', 2001), ["one"], "query" },
        { "question", [], "sentences" },
        { "question", Enumerable.Repeat("s", RetrievalHandler.MaxScoredSentences + 1).ToArray(), "sentences" },
        { "question", ["one", " "], "sentences[1]" },
        { "question", [new string('s', RetrievalHandler.MaxSentenceLength + 1)], "sentences[0]" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Bad_input_is_invalid_argument_naming_the_field(string query, string[] sentences, string field)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await service.Client.ScoreSentencesAsync(
            new ScoreSentencesRequest { Query = query, Sentences = { sentences } }, service.Admin));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith(field + ":", error.Status.Detail);
    }
}
