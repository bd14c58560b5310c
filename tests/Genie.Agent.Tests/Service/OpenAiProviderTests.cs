using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Genie.Agent.Tests.Support;
using Genie.Contracts.Agent.V1;
using Genie.ServiceDefaults.Telemetry;
using Genie.Testing.FakeOpenAi;
using Genie.Testing.Hosts;

namespace Genie.Agent.Tests.Service;

/// <summary>The openai provider (Microsoft.Extensions.AI.OpenAI over the official OpenAI SDK) end to end against a fake that follows the documented Chat Completions streaming shapes.</summary>
public sealed class OpenAiProviderTests : IAsyncLifetime
{
    private readonly RecordingHandbookSearch _search = new();
    private FakeOpenAiServer _openAi = null!;
    private AgentTestHost _agent = null!;

    public async Task InitializeAsync()
    {
        _openAi = await FakeOpenAiServer.StartAsync();
        _agent = await AgentTestHost.StartAsync(_search, new Dictionary<string, string?>
        {
            ["Genie:Agent:Bots:onboarding:Provider"] = "openai",
            ["Genie:Agent:Bots:onboarding:Model"] = _openAi.ModelName,
            ["Genie:Agent:Bots:onboarding:Endpoint"] = _openAi.Address.ToString(),
            ["Genie:Agent:Bots:onboarding:ApiKey"] = _openAi.ApiKey,
            ["Genie:Agent:Bots:learning:Provider"] = "openai",
            ["Genie:Agent:Bots:learning:Model"] = "gpt-4.1-nano",
            ["Genie:Agent:Bots:learning:Endpoint"] = _openAi.Address.ToString(),
            ["Genie:Agent:Bots:learning:ApiKey"] = _openAi.ApiKey,
        });
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _openAi.DisposeAsync();
    }

    [Fact]
    public async Task Streams_the_models_answer_maps_markers_to_citations_and_records_the_token_usage()
    {
        _openAi.Mode = FakeOpenAiServer.Behaviour.Answer;
        var user = _agent.As("odin");
        using var metrics = new MetricRecorder(i => i.Meter.Name == TelemetryExtensions.GenAiSource && i.Name == "gen_ai.client.token.usage");
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TelemetryExtensions.GenAiSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var caller = new ActivitySource("Genie.Agent.Tests.OpenAi");
        using var root = caller.StartActivity("ask");

        var result = await ChatResult.AskAsync(_agent.Client, user, "How long does it take to get a PIV card?");

        Assert.Equal("Getting a PIV card takes two to three weeks [1]. The background check is slowest.", result.Answer);
        Assert.True(result.Events.Count(e => e.EventCase == ChatEvent.EventOneofCase.Delta) > 3, "deltas arrive as the model streams");
        var citation = Assert.Single(result.Citations);
        Assert.Equal(1, citation.Marker);
        Assert.Equal("Getting your PIV card > How long it takes", citation.HeadingPath);
        Assert.Equal($"openai/{_openAi.ModelName}", result.Completed.Model);
        Assert.Equal(421, result.Completed.InputTokens);
        Assert.Equal(16, result.Completed.OutputTokens);
        Assert.Equal("", result.Completed.FallbackReason);

        var request = _openAi.ChatRequests.Last();
        Assert.Equal(_openAi.ModelName, (string?)request["model"]);
        Assert.True((bool)request["stream"]!);
        Assert.True((bool)request["stream_options"]!["include_usage"]!);
        var stored = await _agent.Client.GetConversationAsync(new GetConversationRequest { ConversationId = result.Completed.ConversationId }, user);
        Assert.Equal(result.Answer, stored.Messages[1].Content);
        Assert.Equal((421, 16), (stored.Messages[1].InputTokens, stored.Messages[1].OutputTokens));
        // M.E.AI's UseOpenTelemetry: one span and one token-usage pair per model call, in the gen_ai.* conventions.
        var model = Assert.Single(spans, s => s.TraceId == root!.TraceId && s.GetTagItem("gen_ai.operation.name") as string == "chat");
        Assert.Equal($"chat {_openAi.ModelName}", model.DisplayName);
        Assert.Equal(ActivityKind.Client, model.Kind);
        Assert.Equal(("openai", _openAi.ModelName, _openAi.ModelName), (model.GetTagItem("gen_ai.provider.name"), model.GetTagItem("gen_ai.request.model"), model.GetTagItem("gen_ai.response.model")));
        Assert.Equal((421, 16), ((int?)model.GetTagItem("gen_ai.usage.input_tokens"), (int?)model.GetTagItem("gen_ai.usage.output_tokens")));
        Assert.Equal("[\"stop\"]", model.GetTagItem("gen_ai.response.finish_reasons"));
        var usage = metrics.Measurements.Where(m => Equals(m.Tags.GetValueOrDefault("server.port"), _openAi.Address.Port))
            .ToDictionary(m => (string)m.Tags["gen_ai.token.type"]!, m => m.Value);
        Assert.Equal(new Dictionary<string, double> { ["input"] = 421, ["output"] = 16 }, usage);
    }

    [Fact]
    public async Task A_prompt_injection_document_reaches_the_model_only_fenced_as_data()
    {
        _openAi.Mode = FakeOpenAiServer.Behaviour.Answer;

        await ChatResult.AskAsync(_agent.Client, _agent.As("pia"), FencedPrompt.Question);

        FencedPrompt.AssertInjectionIsFencedAsData(_openAi.ChatRequests.Last()["messages"]!.AsArray());
    }

    [Fact]
    public async Task An_http_error_falls_back_to_the_builtin_answer_with_the_servers_message()
    {
        _openAi.Mode = FakeOpenAiServer.Behaviour.HttpError;
        _openAi.ErrorStatus = HttpStatusCode.ServiceUnavailable;

        var result = await ChatResult.AskAsync(_agent.Client, _agent.As("quinn"), "How long does it take to get a PIV card?");

        Assert.NotNull(result.Fallback);
        Assert.Contains($"openai/{_openAi.ModelName}", result.Fallback.Reason);
        Assert.Contains("503", result.Fallback.Reason);
        Assert.Contains("The server had an error while processing your request", result.Fallback.Reason);
        Assert.Contains("two to three weeks", result.Answer);
        Assert.Equal("builtin-extractive", result.Completed.Model);
        Assert.Equal(result.Fallback.Reason, result.Completed.FallbackReason);
        Assert.Single(_openAi.ChatRequests, r => (string?)r["model"] == _openAi.ModelName);
    }

    [Fact]
    public async Task An_unknown_model_falls_back_with_the_servers_own_error()
    {
        _openAi.Mode = FakeOpenAiServer.Behaviour.Answer;

        var result = await ChatResult.AskAsync(_agent.Client, _agent.As("rita"), "How long does it take to get a PIV card?", bot: "learning");

        Assert.Contains("The model `gpt-4.1-nano` does not exist", result.Completed.FallbackReason);
        Assert.Contains("404", result.Completed.FallbackReason);
        Assert.Contains("two to three weeks", result.Answer);
    }

    [Theory]
    [InlineData(FakeOpenAiServer.Behaviour.ErrorEventMidStream)]
    [InlineData(FakeOpenAiServer.Behaviour.TruncatedMidStream)]
    public async Task A_stream_cut_short_falls_back_to_the_builtin_answer_with_the_reason(FakeOpenAiServer.Behaviour failure)
    {
        // The SDK does not surface an {"error": …} event; an answer that never reached its finish_reason is what gives it away.
        _openAi.Mode = failure;
        var user = _agent.As("sven");

        var result = await ChatResult.AskAsync(_agent.Client, user, "How long does it take to get a PIV card?");

        Assert.NotNull(result.Fallback);
        Assert.Equal($"openai/{_openAi.ModelName} failed: the stream ended before the model finished its answer", result.Fallback.Reason);
        var before = result.Events.TakeWhile(e => e.EventCase != ChatEvent.EventOneofCase.Fallback).Count(e => e.EventCase == ChatEvent.EventOneofCase.Delta);
        Assert.True(before > 0, "the model had streamed some text before failing");
        Assert.Contains("two to three weeks", result.Answer);
        Assert.DoesNotContain("slowest", result.Answer);
        Assert.Equal("builtin-extractive", result.Completed.Model);
        Assert.NotEmpty(result.Citations);
        var stored = await _agent.Client.GetConversationAsync(new GetConversationRequest { ConversationId = result.Completed.ConversationId }, user);
        Assert.Equal(result.Answer, stored.Messages[1].Content);
        Assert.Equal(result.Fallback.Reason, stored.Messages[1].FallbackReason);
    }

    [Fact]
    public async Task A_dropped_connection_falls_back_to_the_builtin_answer()
    {
        _openAi.Mode = FakeOpenAiServer.Behaviour.DropConnectionMidStream;

        var result = await ChatResult.AskAsync(_agent.Client, _agent.As("ulla"), "How long does it take to get a PIV card?");

        Assert.NotNull(result.Fallback);
        Assert.StartsWith($"openai/{_openAi.ModelName} failed: ", result.Fallback.Reason);
        Assert.Contains("two to three weeks", result.Answer);
        Assert.Equal("builtin-extractive", result.Completed.Model);
        Assert.Equal(result.Fallback.Reason, result.Completed.FallbackReason);
    }

    [Fact]
    public async Task A_wrong_api_key_is_a_fallback_that_says_so()
    {
        await using var other = await AgentTestHost.StartAsync(_search, new Dictionary<string, string?>
        {
            ["Genie:Agent:Bots:onboarding:Provider"] = "openai",
            ["Genie:Agent:Bots:onboarding:Model"] = _openAi.ModelName,
            ["Genie:Agent:Bots:onboarding:Endpoint"] = _openAi.Address.ToString(),
            ["Genie:Agent:Bots:onboarding:ApiKey"] = "sk-wrong",
        });

        var result = await ChatResult.AskAsync(other.Client, other.As("tom"), "How do I request annual leave?");

        Assert.Contains("401", result.Completed.FallbackReason);
        Assert.Contains("Incorrect API key provided", result.Completed.FallbackReason);
        Assert.Contains("time tracking tool", result.Answer);
    }
}
