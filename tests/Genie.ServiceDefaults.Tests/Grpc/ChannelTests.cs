using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Grpc;
using Genie.ServiceDefaults.Grpc.Client;
using Genie.Test.V1;
using Genie.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Genie.ServiceDefaults.Tests.Grpc;

public sealed class ChannelTests
{
    private const string Echo = "/genie.test.v1.EchoService/Echo";

    [Fact]
    public async Task Endpoints_from_configuration_are_used_round_robin()
    {
        await using var first = await EchoServerFixture.StartEchoServerAsync();
        await using var second = await EchoServerFixture.StartEchoServerAsync(settings: null, signingKey: first.SigningKey);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["services:echo:grpc:0"] = first.GrpcAddress.ToString(),
            ["services:echo:grpc:1"] = second.GrpcAddress.ToString(),
        }).Build();
        using var channel = GrpcChannel.FromConfiguration(configuration, "echo");
        var options = new CallOptions { BearerToken = first.IssueToken(Roles.Learner) };
        for (var i = 0; i < 10; i++)
            await channel.UnaryAsync<EchoRequest, EchoReply>(Echo, new EchoRequest(), options);
        Assert.Equal(5, first.Services.GetRequiredService<EchoObservations>().EchoCalls);
        Assert.Equal(5, second.Services.GetRequiredService<EchoObservations>().EchoCalls);
    }

    [Fact]
    public void Missing_endpoint_configuration_names_the_variable()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => GrpcChannel.FromConfiguration(new ConfigurationBuilder().Build(), "retrieval"));
        Assert.Contains("services__retrieval__grpc__0", ex.Message);
    }

    [Fact]
    public async Task Idempotent_calls_retry_unavailable_on_the_next_endpoint()
    {
        await using var live = await EchoServerFixture.StartEchoServerAsync();
        using var channel = new GrpcChannel([new Uri($"http://127.0.0.1:{FreePort.Next()}"), live.GrpcAddress]);
        var options = new CallOptions { BearerToken = live.IssueToken(Roles.Learner), Deadline = DateTimeOffset.UtcNow.AddSeconds(10) };
        for (var i = 0; i < 4; i++)
        {
            var reply = await channel.UnaryAsync<EchoRequest, EchoReply>(Echo, new EchoRequest { Text = "again" }, options, idempotent: true);
            Assert.Equal("again", reply.Text);
        }
    }

    [Fact]
    public async Task Non_idempotent_calls_are_not_retried()
    {
        using var channel = new GrpcChannel([new Uri($"http://127.0.0.1:{FreePort.Next()}")]);
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryAsync<EchoRequest, EchoReply>(Echo, new EchoRequest(), new CallOptions { Deadline = DateTimeOffset.UtcNow.AddSeconds(10) }));
        Assert.Equal(StatusCode.Unavailable, ex.Status);
    }
}
