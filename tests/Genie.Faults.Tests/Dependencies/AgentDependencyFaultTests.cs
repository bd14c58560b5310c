using Genie.Contracts.Agent.V1;
using Genie.Testing;
using Genie.Testing.FakeOllama;
using Genie.Testing.Hosts;
using Grpc.Core;

namespace Genie.Faults.Tests.Dependencies;

/// <summary>
/// The Agent (composed as its Program.cs does, over its own database) while what it depends on misbehaves:
/// Retrieval refusing connections, the model (the Ollama fake) going quiet in the middle of an answer.
/// Each call carries a 30 s deadline: a hang would end in DEADLINE_EXCEEDED and fail the test.
/// </summary>
public sealed class AgentDependencyFaultTests
{
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Retrieval_unreachable_ends_the_chat_with_unavailable_in_plain_words_and_stores_nothing()
    {
        var nobodyListens = $"http://127.0.0.1:{FreePort.Next()}";
        await using var agent = await AgentTestHost.StartAsync(search: null, new Dictionary<string, string?>
        {
            ["services:retrieval:grpc:0"] = nobodyListens,
        });
        var options = agent.As("uma").WithDeadline(DateTime.UtcNow + CallDeadline);

        var failure = await Assert.ThrowsAsync<RpcException>(() =>
            ChatResult.AskAsync(agent.Client, options, "How long does it take to get a PIV card?"));

        Assert.Equal(StatusCode.Unavailable, failure.StatusCode);
        Assert.Equal(Genie.Agent.Knowledge.RetrievalKnowledgeSearch.Unavailable, failure.Status.Detail);
        Assert.Equal(0, await StoredMessages.CountAsync(agent.ConnectionString, "select count(*) from agent.messages"));
        Assert.Equal(0, await StoredMessages.CountAsync(agent.ConnectionString, "select count(*) from agent.conversations"));

        // A question that needs no search still works: the Agent itself is fine.
        var preference = await ChatResult.AskAsync(agent.Client, agent.As("uma"), "I work on the payments team.");
        Assert.NotEmpty(preference.Answer);
        Assert.Equal(2, await StoredMessages.CountAsync(agent.ConnectionString, "select count(*) from agent.messages"));
    }

    [Fact]
    public async Task A_model_that_hangs_mid_answer_is_cut_off_at_the_bots_timeout_the_builtin_answer_is_stored_and_the_next_chat_works()
    {
        await using var ollama = await FakeOllamaServer.StartAsync(installed: ["llama3.2"]);
        ollama.Reply = _ => FakeChatReply.Text("Getting a PIV card takes two to three weeks [1].");
        await using var agent = await AgentTestHost.StartAsync(new OneHandbookPassage(), new Dictionary<string, string?>
        {
            ["Genie:Agent:Bots:onboarding:Provider"] = "ollama",
            ["Genie:Agent:Bots:onboarding:Model"] = "llama3.2",
            ["Genie:Agent:Bots:onboarding:Endpoint"] = ollama.Address.ToString(),
            ["Genie:Agent:Bots:onboarding:FirstTokenTimeoutSeconds"] = "2",
            ["Genie:Agent:Bots:onboarding:TimeoutSeconds"] = "3",
        });
        ollama.StallAfterChunks = 2;
        var user = agent.As("vera").WithDeadline(DateTime.UtcNow + CallDeadline);

        var hung = await ChatResult.AskAsync(agent.Client, user, OneHandbookPassage.Question);

        await ollama.Abandoned.WaitAsync(CallDeadline); // the Agent hung up on the model; no connection is left waiting
        Assert.Equal("ollama/llama3.2 did not finish within 3 s", hung.Fallback?.Reason);
        Assert.Equal("builtin-extractive", hung.Completed.Model);
        Assert.Contains("two to three weeks", hung.Answer);
        var stored = await StoredMessages.AnswerAsync(agent.ConnectionString, Guid.Parse(hung.Completed.ConversationId));
        Assert.Equal(hung.Answer, stored.Content);
        Assert.False(stored.Incomplete, "the caller received the whole built-in answer");
        Assert.Equal(hung.Fallback!.Reason, stored.FallbackReason);

        ollama.StallAfterChunks = null;
        var next = await ChatResult.AskAsync(agent.Client, agent.As("vera").WithDeadline(DateTime.UtcNow + CallDeadline), OneHandbookPassage.Question);

        Assert.Null(next.Fallback);
        Assert.Equal("ollama/llama3.2", next.Completed.Model);
        Assert.Equal("Getting a PIV card takes two to three weeks [1].", next.Answer);
    }
}
