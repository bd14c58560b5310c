using Genie.Contracts.Agent.V1;
using Genie.Testing.Hosts;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Genie.Agent.Tests.Service;

/// <summary>
/// Back-pressure on real gRPC: chats past the configured limits are refused at once with
/// RESOURCE_EXHAUSTED and a retry-after, while admitted chats finish and health still answers.
/// </summary>
public sealed class ChatLimitsTests
{
    private static AsyncServerStreamingCall<ChatEvent> Start(AgentTestHost agent, string user) =>
        agent.Client.Chat(new ChatRequest { Bot = "onboarding", Message = "Where do I collect my badge?" }, agent.As(user));

    private static async Task<List<ChatEvent>> ReadAllAsync(AsyncServerStreamingCall<ChatEvent> call)
    {
        var events = new List<ChatEvent>();
        await foreach (var e in call.ResponseStream.ReadAllAsync())
            events.Add(e);
        return events;
    }

    private static async Task<RpcException> RefusedAsync(AsyncServerStreamingCall<ChatEvent> call) =>
        await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(call));

    [Fact]
    public async Task A_users_extra_stream_is_refused_at_once_with_retry_after_while_the_others_and_another_user_go_on()
    {
        var search = new GatedSearch();
        await using var agent = await AgentTestHost.StartAsync(search, new Dictionary<string, string?>
        {
            ["Genie:Limits:PerUser"] = "2",
            ["Genie:Limits:PerService"] = "10",
            ["Genie:Limits:RetryAfterSeconds"] = "7",
        });
        using var first = Start(agent, "ann");
        using var second = Start(agent, "ann");
        var admitted = new[] { ReadAllAsync(first), ReadAllAsync(second) };
        await search.WaitForSearchesAsync(2);

        // Both of ann's slots are held at the search step; the gate is shut, so a queued call would hang until its deadline.
        using var third = Start(agent, "ann");
        var refused = await RefusedAsync(third);
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal("7", refused.Trailers.GetValue("retry-after"));
        Assert.Contains("Try again in 7 s", refused.Status.Detail);

        using var bob = Start(agent, "bob");
        var bobs = ReadAllAsync(bob);
        await search.WaitForSearchesAsync(1);

        using var channel = GrpcChannel.ForAddress(agent.GrpcAddress);
        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

        search.Open();
        foreach (var events in await Task.WhenAll([.. admitted, bobs]))
            Assert.Equal(ChatEvent.EventOneofCase.Completed, events[^1].EventCase);

        // The refused call held nothing: ann may ask again.
        using var fourth = Start(agent, "ann");
        var again = await ReadAllAsync(fourth);
        Assert.Equal(ChatEvent.EventOneofCase.Completed, again[^1].EventCase);
    }

    [Fact]
    public async Task Past_the_services_capacity_any_user_is_refused_with_retry_after()
    {
        var search = new GatedSearch();
        await using var agent = await AgentTestHost.StartAsync(search, new Dictionary<string, string?>
        {
            ["Genie:Limits:PerService"] = "2",
            ["Genie:Limits:ServiceQueue"] = "0",
        });
        using var ann = Start(agent, "ann");
        using var bob = Start(agent, "bob");
        var admitted = new[] { ReadAllAsync(ann), ReadAllAsync(bob) };
        await search.WaitForSearchesAsync(2);

        using var cy = Start(agent, "cy");
        var refused = await RefusedAsync(cy);
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal("2", refused.Trailers.GetValue("retry-after"));

        search.Open();
        foreach (var events in await Task.WhenAll(admitted))
            Assert.Equal(ChatEvent.EventOneofCase.Completed, events[^1].EventCase);
    }
}
