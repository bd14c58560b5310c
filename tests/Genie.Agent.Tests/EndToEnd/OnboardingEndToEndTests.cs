using System.Collections.Concurrent;
using System.Diagnostics;
using Genie.Agent.Answering;
using Genie.Contracts.Agent.V1;
using Genie.ServiceDefaults.Auth;
using Grpc.Core;
using Genie.Testing.Hosts;

namespace Genie.Agent.Tests.EndToEnd;

/// <summary>The Onboarding Bot over the real Retrieval service: ingest a handbook, ask, follow up, respect grants, one trace.</summary>
public sealed class OnboardingEndToEndTests(RetrievalAndAgent system) : IClassFixture<RetrievalAndAgent>
{
    [Theory]
    [InlineData("How long does it take to get a PIV card?", "piv-card.md", "two to three weeks")]
    [InlineData("How much annual leave do I earn each pay period?", "leave.md", "four hours")]
    [InlineData("How big should a pull request be for code review?", "code-review.md", "400 lines")]
    public async Task Each_answer_cites_the_document_that_holds_it(string question, string document, string fact)
    {
        var result = await ChatResult.AskAsync(system.Agent.Client, system.Agent.As("lena"), question);

        Assert.Contains(fact, result.Answer);
        Assert.NotEmpty(result.Citations);
        Assert.EndsWith(document, result.Citations[0].Uri);
        Assert.Equal(system.Handbook.Id, result.Citations[0].KnowledgeBaseId);
        Assert.All(result.Citations, c => Assert.Contains($"[{c.Marker}]", result.Answer));
    }

    [Fact]
    public async Task A_follow_up_is_answered_using_the_conversation()
    {
        var user = system.Agent.As("mo");
        var first = await ChatResult.AskAsync(system.Agent.Client, user, "How do I get a PIV card?");

        var followUp = await ChatResult.AskAsync(system.Agent.Client, user, "and how long does that take?", first.Completed.ConversationId);

        Assert.Contains("sponsor", first.Answer);
        Assert.Contains("two to three weeks", followUp.Answer);
        Assert.EndsWith("piv-card.md", followUp.Citations[0].Uri);
    }

    [Fact]
    public async Task A_learner_without_a_grant_gets_no_citation_from_that_knowledge_base()
    {
        const string question = "What is the salary band for a senior engineer?";
        var admin = await ChatResult.AskAsync(system.Agent.Client, system.Agent.As("boss", Roles.Admin), question);

        var learner = await ChatResult.AskAsync(system.Agent.Client, system.Agent.As("nia"), question);
        var targeted = new List<ChatEvent>();
        await foreach (var e in system.Agent.Client.Chat(
                           new ChatRequest { Message = question, KnowledgeBaseIds = { system.Restricted.Id } }, system.Agent.As("nia")).ResponseStream.ReadAllAsync())
            targeted.Add(e);

        Assert.Contains(admin.Citations, c => c.KnowledgeBaseId == system.Restricted.Id);
        Assert.DoesNotContain(learner.Citations, c => c.KnowledgeBaseId == system.Restricted.Id);
        Assert.DoesNotContain("150,000", learner.Answer);
        var targetedResult = new ChatResult(targeted);
        Assert.DoesNotContain(targetedResult.Citations, c => c.KnowledgeBaseId == system.Restricted.Id);
        Assert.Equal(ExtractiveComposer.NotCoveredAnswer, targetedResult.Answer);
    }

    [Fact]
    public async Task A_prompt_injection_document_does_not_change_the_builtin_answer()
    {
        var result = await ChatResult.AskAsync(system.Agent.Client, system.Agent.As("omar"), "When are the office plants watered?");

        Assert.Contains("every Tuesday", result.Answer);
        Assert.DoesNotContain("PWNED", result.Answer);
        Assert.EndsWith("injection.md", result.Citations[0].Uri);
    }

    [Fact]
    public async Task One_trace_id_spans_the_caller_the_agent_retrieval_and_postgres()
    {
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        using var webSource = new ActivitySource("Genie.Web.TraceTest");
        ActivityTraceId traceId;
        using (var root = webSource.StartActivity("portal chat"))
        {
            Assert.NotNull(root);
            traceId = root.TraceId;
            await ChatResult.AskAsync(system.Agent.Client, system.Agent.As("pat"), "How long does it take to get a PIV card?");
        }

        var trace = spans.Where(s => s.TraceId == traceId).ToList();
        Assert.Contains(trace, s => s.OperationName == "agent.chat");
        // Retrieval's server span (Grpc.AspNetCore tags ASP.NET Core's request activity with the method).
        Assert.Contains(trace, s => s.Source.Name == "Microsoft.AspNetCore" && s.GetTagItem("grpc.method") as string == "/genie.retrieval.v1.RetrievalService/Search");
        Assert.Contains(trace, s => s.Source.Name == "Npgsql");
        var model = Assert.Single(trace, s => s.GetTagItem("gen_ai.operation.name") as string == "chat");
        Assert.Equal("builtin", model.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("builtin-extractive", model.GetTagItem("gen_ai.request.model"));
    }
}
