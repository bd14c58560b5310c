using Genie.ServiceDefaults.Auth;
using Genie.Test.V1;
using Genie.Testing;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using EchoClient = Genie.Test.V1.EchoService.EchoServiceClient;

namespace Genie.ServiceDefaults.Tests.Grpc;

/// <summary>One <c>AddServiceClient</c> client over <c>services__echo__grpc__0/1</c>.</summary>
public sealed class ServiceDiscoveryTests
{
    [Fact]
    public async Task Calls_spread_over_every_listed_instance()
    {
        var key = AuthOptions.GenerateKey();
        await using var first = await EchoServerFixture.StartEchoServerAsync(key);
        await using var second = await EchoServerFixture.StartEchoServerAsync(key);
        await using var clients = EchoServerFixture.ClientsFor(first.GrpcAddress, second.GrpcAddress);
        var client = clients.GetRequiredService<EchoClient>();
        var token = first.IssueToken(Roles.Learner);
        for (var i = 0; i < 10; i++)
            await client.EchoAsync(new EchoRequest { Text = $"call {i}" }, Clients.BearerToken.Options(token));
        var firstCalls = first.Services.GetRequiredService<EchoObservations>().EchoCalls;
        var secondCalls = second.Services.GetRequiredService<EchoObservations>().EchoCalls;
        Assert.Equal(10, firstCalls + secondCalls);
        Assert.True(firstCalls >= 3 && secondCalls >= 3, $"calls did not spread: {firstCalls} and {secondCalls}");
    }

    [Fact]
    public async Task An_idempotent_rpc_is_retried_on_the_other_instance_when_one_is_down()
    {
        await using var live = await EchoServerFixture.StartEchoServerAsync();
        var down = new Uri($"http://127.0.0.1:{FreePort.Next()}"); // nothing listens here: UNAVAILABLE
        await using var clients = EchoServerFixture.ClientsFor(down, live.GrpcAddress);
        var client = clients.GetRequiredService<EchoClient>();
        var options = Clients.BearerToken.Options(live.IssueToken(Roles.Learner));

        // Echo is NO_SIDE_EFFECTS in echo.proto: each call whose first attempt lands on the dead instance is retried.
        for (var i = 0; i < 4; i++)
            Assert.Equal($"call {i}", (await client.EchoAsync(new EchoRequest { Text = $"call {i}" }, options)).Text);
        Assert.Equal(4, live.Services.GetRequiredService<EchoObservations>().EchoCalls);

        // Public is not idempotent: it runs once, so one of two consecutive calls meets the dead instance.
        var failures = 0;
        for (var i = 0; i < 2; i++)
        {
            try
            {
                await client.PublicAsync(new EchoRequest(), options);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable)
            {
                failures++;
            }
        }
        Assert.Equal(1, failures);
    }
}
