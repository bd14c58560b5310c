using System.Text.Json.Nodes;
using Genie.Agent.Tests.Support;
using Genie.Contracts.Agent.V1;
using Grpc.Core;
using Genie.Testing.FakeOllama;
using Genie.Testing.Hosts;
using Npgsql;

namespace Genie.Agent.Tests.Service;

/// <summary>The ollama provider end to end against a fake that follows Ollama's documented /api/chat shapes.</summary>
public sealed class OllamaProviderTests : IAsyncLifetime
{
    /// <summary>The model's answer (markers included, as a model would write them); [7] points at no source.</summary>
    private const string ModelAnswer = "Getting a PIV card takes two to three weeks [1]. The background check is slowest [7].";

    private readonly RecordingHandbookSearch _search = new();
    private FakeOllamaServer _ollama = null!;
    private AgentTestHost _agent = null!;

    public async Task InitializeAsync()
    {
        _ollama = await FakeOllamaServer.StartAsync(installed: ["llama3.2"]);
        _ollama.Reply = _ => FakeChatReply.Text(ModelAnswer);
        _agent = await AgentTestHost.StartAsync(_search, new Dictionary<string, string?>
        {
            ["Genie:Agent:Bots:onboarding:Provider"] = "ollama",
            ["Genie:Agent:Bots:onboarding:Model"] = "llama3.2",
            ["Genie:Agent:Bots:onboarding:Endpoint"] = _ollama.Address.ToString(),
            ["Genie:Agent:Bots:onboarding:FirstTokenTimeoutSeconds"] = "1",
            ["Genie:Agent:Bots:learning:Provider"] = "ollama",
            ["Genie:Agent:Bots:learning:Model"] = "qwen2.5:0.5b",
            ["Genie:Agent:Bots:learning:Endpoint"] = _ollama.Address.ToString(),
        });
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _ollama.DisposeAsync();
    }

    [Fact]
    public async Task Streams_the_models_answer_maps_markers_to_citations_and_drops_markers_that_point_at_nothing()
    {
        var result = await ChatResult.AskAsync(_agent.Client, _agent.As("olga"), "How long does it take to get a PIV card?");

        Assert.Equal("Getting a PIV card takes two to three weeks [1]. The background check is slowest.", result.Answer);
        Assert.True(result.Events.Count(e => e.EventCase == ChatEvent.EventOneofCase.Delta) > 3, "deltas arrive as the model streams");
        var citation = Assert.Single(result.Citations);
        Assert.Equal(1, citation.Marker);
        Assert.Equal("Getting your PIV card > How long it takes", citation.HeadingPath);
        Assert.Equal("ollama/llama3.2", result.Completed.Model);
        Assert.Equal(412, result.Completed.InputTokens);
        Assert.Equal(16, result.Completed.OutputTokens);
        Assert.Equal("", result.Completed.FallbackReason);

        var request = _ollama.ChatRequests.Last();
        Assert.Equal("llama3.2", request["model"]!.GetValue<string>());
        Assert.True(request["stream"]!.GetValue<bool>());
        Assert.Equal(8192, request["options"]!["num_ctx"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_prompt_injection_document_reaches_the_model_only_fenced_as_data()
    {
        await ChatResult.AskAsync(_agent.Client, _agent.As("pia"), FencedPrompt.Question);

        FencedPrompt.AssertInjectionIsFencedAsData(_ollama.ChatRequests.Last()["messages"]!.AsArray());
    }

    [Fact]
    public async Task A_failure_mid_stream_falls_back_to_the_builtin_answer_with_the_reason()
    {
        _ollama.FailAfterChunks = 3;
        var user = _agent.As("quinn");

        var result = await ChatResult.AskAsync(_agent.Client, user, "How long does it take to get a PIV card?");

        Assert.NotNull(result.Fallback);
        // OllamaSharp reads past Ollama's {"error"} line; the stream then ends without its done chunk.
        Assert.Equal("ollama/llama3.2 failed: the stream ended before the model finished its answer", result.Fallback.Reason);
        var before = result.Events.TakeWhile(e => e.EventCase != ChatEvent.EventOneofCase.Fallback).Count(e => e.EventCase == ChatEvent.EventOneofCase.Delta);
        Assert.True(before > 0, "the model had streamed some text before failing");
        Assert.Contains("two to three weeks", result.Answer);
        Assert.DoesNotContain("slowest", result.Answer);
        Assert.Equal("builtin-extractive", result.Completed.Model);
        Assert.Equal(result.Fallback.Reason, result.Completed.FallbackReason);
        Assert.NotEmpty(result.Citations);

        var stored = await _agent.Client.GetConversationAsync(new GetConversationRequest { ConversationId = result.Completed.ConversationId }, user);
        Assert.Equal(result.Answer, stored.Messages[1].Content);
        Assert.Equal(result.Fallback.Reason, stored.Messages[1].FallbackReason);
    }

    [Fact]
    public async Task An_unknown_model_falls_back_with_ollamas_own_error()
    {
        var result = await ChatResult.AskAsync(_agent.Client, _agent.As("rita"), "How long does it take to get a PIV card?", bot: "learning");

        Assert.Contains("model \"qwen2.5:0.5b\" not found, try pulling it first", result.Completed.FallbackReason);
        Assert.Contains("404", result.Completed.FallbackReason);
        Assert.Contains("two to three weeks", result.Answer);
    }

    [Fact]
    public async Task A_model_that_sends_nothing_in_time_falls_back()
    {
        _ollama.StallAfterChunks = 0;

        var result = await ChatResult.AskAsync(_agent.Client, _agent.As("sam"), "How do I request annual leave?");

        Assert.Contains("sent nothing within 1 s", result.Completed.FallbackReason);
        Assert.Contains("time tracking tool", result.Answer);
    }

    [Fact]
    public async Task Cancelling_the_call_stores_what_was_said_so_far_marked_incomplete()
    {
        _ollama.StallAfterChunks = 1;
        using var cancel = new CancellationTokenSource();
        var options = _agent.As("tess").WithCancellationToken(cancel.Token);
        string? conversationId = null;

        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await foreach (var e in _agent.Client.Chat(new ChatRequest { Message = "How long does it take to get a PIV card?" }, options).ResponseStream.ReadAllAsync())
            {
                if (e.EventCase == ChatEvent.EventOneofCase.Started) conversationId = e.Started.ConversationId;
                if (e.EventCase == ChatEvent.EventOneofCase.Delta) await cancel.CancelAsync();
            }
        });

        Assert.NotNull(conversationId);
        var stored = await WaitForStoredAnswerAsync(Guid.Parse(conversationId));
        Assert.True(stored.Incomplete);
        Assert.Equal("Getting", stored.Content.Trim());
    }

    private async Task<(bool Incomplete, string Content)> WaitForStoredAnswerAsync(Guid conversationId)
    {
        // The server notices the cancellation on its own schedule; poll the database, bounded.
        await using var connection = new NpgsqlConnection(_agent.ConnectionString);
        await connection.OpenAsync();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            await using var query = new NpgsqlCommand(
                "select incomplete, content from agent.messages where conversation_id = @id and role = 'assistant'", connection);
            query.Parameters.AddWithValue("id", conversationId);
            await using var reader = await query.ExecuteReaderAsync();
            if (await reader.ReadAsync()) return (reader.GetBoolean(0), reader.GetString(1));
            await reader.DisposeAsync();
            await Task.Delay(50);
        }
        throw new TimeoutException("the interrupted answer was never stored");
    }
}
