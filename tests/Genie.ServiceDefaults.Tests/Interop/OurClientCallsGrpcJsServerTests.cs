using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Genie.ServiceDefaults.Tests.Grpc;
using Genie.Test.V1;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using EchoClient = Genie.Test.V1.EchoService.EchoServiceClient;

namespace Genie.ServiceDefaults.Tests.Interop;

/// <summary>
/// A client built by <c>AddServiceClient</c> (service discovery finds the peer as
/// <c>services__echo__grpc__0</c>) calls a real @grpc/grpc-js server (tests/node/interop/server.js).
/// </summary>
public sealed class OurClientCallsGrpcJsServerTests(GrpcJsServerFixture node) : IClassFixture<GrpcJsServerFixture>, IAsyncDisposable
{
    private const string NonAsciiMessage = "Échec: ünïcødé — 日本語 ✓ 🚀 100% #1";
    // A real JWT: grpc-js does not verify it, but server.js reports its subject as the caller.
    private static readonly string Token = new TokenService(new AuthOptions { SigningKey = AuthOptions.DecodeKey(AuthOptions.GenerateKey()) })
        .Issue("dotnet-user", "dotnet-user@example.test", "Dotnet User", Roles.Learner);

    private readonly ServiceProvider _clients = EchoServerFixture.ClientsFor(node.Address);

    private EchoClient Client => _clients.GetRequiredService<EchoClient>();

    private static CallOptions Options(TimeSpan timeout) => BearerToken.Options(Token, timeout);

    [Fact]
    public async Task Unary_call_carries_the_message_bearer_token_metadata_and_deadline()
    {
        var before = DateTimeOffset.UtcNow;
        var options = Options(TimeSpan.FromSeconds(20));
        options.Headers!.Add("x-test", "abc-123");
        var reply = await Client.EchoAsync(new EchoRequest { Text = "hello from .NET ✓" }, options);
        Assert.Equal("hello from .NET ✓", reply.Text);
        Assert.Equal("dotnet-user", reply.Caller);
        Assert.Equal("abc-123", reply.Metadata);
        // grpc-js parsed our grpc-timeout into the deadline it reports.
        Assert.InRange(DateTimeOffset.Parse(reply.Deadline), before.AddSeconds(18), before.AddSeconds(22));
    }

    [Fact]
    public async Task Server_streaming_delivers_every_message_in_order()
    {
        using var call = Client.Stream(new EchoRequest { Text = "item", Count = 20 }, Options(TimeSpan.FromSeconds(30)));
        var replies = await call.ResponseStream.ReadAllAsync().ToListAsync();
        Assert.Equal(Enumerable.Range(0, 20), replies.Select(r => r.Index));
        Assert.All(replies, r => Assert.Equal("item", r.Text));
    }

    [Fact]
    public async Task An_expiring_deadline_gives_deadline_exceeded_and_cancels_the_server_call()
    {
        // Long enough for the request to reach the server even on a loaded machine, so its cancellation is observable.
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            Client.SlowAsync(new EchoRequest { DelayMs = 30_000 }, Options(TimeSpan.FromSeconds(2))).ResponseAsync);
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        await node.WaitForEventAsync("slow-cancelled", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task An_error_status_with_non_ascii_text_round_trips_exactly()
    {
        var request = new EchoRequest { Text = NonAsciiMessage, StatusCode = (int)StatusCode.FailedPrecondition };
        var ex = await Assert.ThrowsAsync<RpcException>(() => Client.FailAsync(request, Options(TimeSpan.FromSeconds(20))).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal(NonAsciiMessage, ex.Status.Detail);
        Assert.Equal("failed on purpose", ex.Trailers.GetValue("x-detail"));
    }

    [Fact]
    public async Task An_rpc_the_server_does_not_implement_is_unimplemented()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Client.BoomAsync(new EchoRequest(), Options(TimeSpan.FromSeconds(20))).ResponseAsync);
        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    [Fact]
    public async Task Health_check_reports_serving_and_an_unknown_service_is_not_found()
    {
        using var channel = GrpcChannel.ForAddress(node.Address);
        var health = new global::Grpc.Health.V1.Health.HealthClient(channel);
        var reply = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(20));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            health.CheckAsync(new HealthCheckRequest { Service = "no.such.Service" }, deadline: DateTime.UtcNow.AddSeconds(20)).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    public ValueTask DisposeAsync() => _clients.DisposeAsync();
}
