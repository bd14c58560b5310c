using Genie.Agent;
using Genie.Agent.Knowledge;
using Genie.Contracts.Agent.V1;
using Genie.Retrieval.Embeddings;
using Genie.Retrieval.Search;
using Genie.ServiceDefaults;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Genie.ServiceDefaults.Database;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Genie.Retrieval.Eval;

/// <summary>
/// <c>eval --answers</c>: every question asked of the Onboarding Bot as a user would, through the Agent composed as its
/// Program.cs does (service defaults, its own schema, AddAgent, the built-in answerer) on a loopback gRPC port; the
/// Agent's search runs in process against the eval's scratch knowledge base instead of calling Retrieval over gRPC.
/// Scores what the user reads: the cited document, the stated fact, and whether the bot declined.
/// </summary>
public static class AnswerEval
{
    /// <summary>What the Agent said to one question.</summary>
    public sealed record Answer(string Text, IReadOnlyList<string> CitedUris, bool Declined);

    public sealed record AnswerMetrics(
        int Answerable, int CitedGold, int WithFact, int FactFound, int Unanswerable, int Declined, int FalseDeclines)
    {
        public static double Share(int part, int whole) => whole == 0 ? double.NaN : part / (double)whole;
        public double CitationAccuracy => Share(CitedGold, Answerable);
        public double FactAccuracy => Share(FactFound, WithFact);
        public double DeclineRate => Share(Declined, Unanswerable);
        public double FalseDeclineRate => Share(FalseDeclines, Answerable);
    }

    /// <summary>
    /// A right citation: the first document the answer cites (marker [1], the sentence stated first) is a gold
    /// document. A fact counts when the answer text contains it (case and runs of white space ignored).
    /// </summary>
    public static AnswerMetrics Score(IReadOnlyList<EvalQuestion> questions, IReadOnlyList<Answer> answers)
    {
        int answerable = 0, citedGold = 0, withFact = 0, factFound = 0, unanswerable = 0, declined = 0, falseDeclines = 0;
        for (var i = 0; i < questions.Count; i++)
        {
            var (question, answer) = (questions[i], answers[i]);
            if (!question.Answerable)
            {
                unanswerable++;
                if (answer.Declined) declined++;
                continue;
            }
            answerable++;
            if (answer.Declined) falseDeclines++;
            if (!answer.Declined && answer.CitedUris.Count > 0 && question.AnswersIn.Contains(answer.CitedUris[0]))
                citedGold++;
            if (!string.IsNullOrWhiteSpace(question.Fact))
            {
                withFact++;
                if (!answer.Declined && Collapse(answer.Text).Contains(Collapse(question.Fact), StringComparison.OrdinalIgnoreCase))
                    factFound++;
            }
        }
        return new AnswerMetrics(answerable, citedGold, withFact, factFound, unanswerable, declined, falseDeclines);
    }

    private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Starts the Agent over <paramref name="connection"/>, asks every question in a new conversation, prints the scores.</summary>
    /// <param name="scorer">Scores the built-in answerer's sentences by meaning (as Retrieval's ScoreSentences rpc); null = words only.</param>
    public static async Task<AnswerMetrics> RunAsync(string connection, HybridSearcher searcher, Guid knowledgeBaseId, EmbedderChoice embedder,
        SentenceScorer? scorer, IReadOnlyList<EvalQuestion> questions, bool verbose, TextWriter output, CancellationToken ct)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:genie"] = connection,
            ["Kestrel:Endpoints:grpc:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:grpc:Protocols"] = "Http2",
            [AuthOptions.SigningKeyKey] = AuthOptions.GenerateKey(),
            ["Genie:Agent:Bots:onboarding:Provider"] = "builtin", // the answerer a user without a model server gets
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddServiceDefaults("agent");
        builder.AddGenieDatabase("agent", typeof(AgentServices).Assembly);
        builder.Services.AddSingleton<IKnowledgeSearch>(new ScratchKnowledgeSearch(searcher, knowledgeBaseId, embedder, scorer));
        builder.AddAgent();
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync(ct);
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var channel = GrpcChannel.ForAddress(address);
            var agent = new AgentService.AgentServiceClient(channel);
            var token = app.Services.GetRequiredService<TokenService>().Issue("eval", "eval@localhost", "eval", Roles.Learner);
            var answers = new List<Answer>();
            foreach (var question in questions)
            {
                var answer = await AskAsync(agent, token, question.Question, ct);
                answers.Add(answer);
                if (verbose)
                {
                    var verdict = !question.Answerable ? (answer.Declined ? "declined (right)" : "answered an unanswerable question")
                        : answer.Declined ? "declined (wrong)" : question.AnswersIn.Contains(answer.CitedUris.FirstOrDefault() ?? "") ? "cited gold" : "cited other";
                    output.WriteLine($"- {question.Question}\n  {verdict}; cited {string.Join(", ", answer.CitedUris.Distinct())}\n  {answer.Text.ReplaceLineEndings(" ")}");
                }
            }
            var metrics = Score(questions, answers);
            output.WriteLine($"answers (Agent, built-in answerer, sentences scored by {(scorer is null ? "words only" : "words and meaning")}): {questions.Count} questions, {metrics.Answerable} answerable, {metrics.Unanswerable} unanswerable");
            output.WriteLine($"  citation accuracy   {Format(metrics.CitationAccuracy)}  ({metrics.CitedGold}/{metrics.Answerable}: first cited document is a gold one)");
            output.WriteLine($"  key-fact accuracy   {Format(metrics.FactAccuracy)}  ({metrics.FactFound}/{metrics.WithFact} questions with a \"fact\")");
            output.WriteLine($"  decline rate        {Format(metrics.DeclineRate)}  ({metrics.Declined}/{metrics.Unanswerable} unanswerable declined)");
            output.WriteLine($"  false-decline rate  {Format(metrics.FalseDeclineRate)}  ({metrics.FalseDeclines}/{metrics.Answerable} answerable declined)");
            return metrics;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }
    }

    private static string Format(double value) => double.IsNaN(value) ? "  n/a" : value.ToString("F3");

    private static async Task<Answer> AskAsync(AgentService.AgentServiceClient agent, string token, string question, CancellationToken ct)
    {
        using var call = agent.Chat(new ChatRequest { Bot = "onboarding", Message = question },
            new Metadata { { "authorization", $"Bearer {token}" } }, DateTime.UtcNow.AddMinutes(2), ct);
        var text = new System.Text.StringBuilder();
        var cited = new List<string>();
        var declined = false;
        await foreach (var e in call.ResponseStream.ReadAllAsync(ct))
        {
            switch (e.EventCase)
            {
                case ChatEvent.EventOneofCase.Delta: text.Append(e.Delta.Text); break;
                case ChatEvent.EventOneofCase.Fallback: text.Clear(); break;
                case ChatEvent.EventOneofCase.Citations: cited.AddRange(e.Citations.Items.OrderBy(c => c.Marker).Select(c => c.Uri)); break;
                case ChatEvent.EventOneofCase.Completed: declined = e.Completed.NotCovered; break;
            }
        }
        return new Answer(text.ToString(), cited, declined);
    }

    /// <summary>The Agent's search, answered in process from the eval's scratch knowledge base (hybrid, as Retrieval's Search rpc).</summary>
    private sealed class ScratchKnowledgeSearch(HybridSearcher searcher, Guid knowledgeBaseId, EmbedderChoice embedder, SentenceScorer? scorer) : IKnowledgeSearch
    {
        public async Task<IReadOnlyList<double>?> ScoreSentencesAsync(SentenceScoring request, CancellationToken cancellationToken) =>
            scorer is null ? null : await scorer.ScoreAsync(embedder, request.Question, request.Sentences, cancellationToken);

        public async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(KnowledgeQuery query, CancellationToken cancellationToken)
        {
            var hits = await searcher.SearchAsync(new SearchQuery(query.Text, [(knowledgeBaseId, embedder)], query.TopK, 0, SearchMode.Hybrid), cancellationToken);
            return hits.Select(h => new KnowledgeHit(h.ChunkId.ToString(), h.KnowledgeBaseId.ToString(), h.Text, h.Snippet, h.DocumentTitle,
                h.Uri, string.Join(" > ", h.HeadingPath), h.SourceName, h.Score)).ToList();
        }
    }
}
