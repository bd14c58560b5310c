using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Genie.ServiceDefaults.Grpc;
using Genie.ServiceDefaults.Grpc.Client;
using Genie.Test.V1;
using Grpc.Health.V1;

namespace Genie.ServiceDefaults.Tests.Interop;

/// <summary>Our GrpcChannel calls a real @grpc/grpc-js server (tests/node/interop/server.js).</summary>
public sealed class OurClientCallsGrpcJsServerTests(GrpcJsServerFixture node) : IClassFixture<GrpcJsServerFixture>, IDisposable
{
    private const string Svc = "/genie.test.v1.EchoService/";
    private const string NonAsciiMessage = "Échec: ünïcødé — 日本語 ✓ 🚀 100% #1";
    // A real JWT: grpc-js does not verify it, but server.js reports its subject as the caller.
    private static readonly string Token = new TokenService(new AuthOptions { SigningKey = AuthOptions.DecodeKey(AuthOptions.GenerateKey()) })
        .Issue("dotnet-user", "dotnet-user@example.test", "Dotnet User", Roles.Learner);

    private readonly GrpcChannel _channel = new([node.Address]);

    private static CallOptions Options(TimeSpan timeout) => CallOptions.WithTimeout(timeout, Token);

    [Fact]
    public async Task Unary_call_carries_the_message_bearer_token_metadata_and_deadline()
    {
        var before = DateTimeOffset.UtcNow;
        var options = Options(TimeSpan.FromSeconds(20)) with { Headers = new Metadata { { "x-test", "abc-123" } } };
        var reply = await _channel.UnaryAsync<EchoRequest, EchoReply>(Svc + "Echo", new EchoRequest { Text = "hello from .NET ✓" }, options);
        Assert.Equal("hello from .NET ✓", reply.Text);
        Assert.Equal("dotnet-user", reply.Caller);
        Assert.Equal("abc-123", reply.Metadata);
        // grpc-js parsed our grpc-timeout into the deadline it reports.
        Assert.InRange(DateTimeOffset.Parse(reply.Deadline), before.AddSeconds(18), before.AddSeconds(22));
    }

    [Fact]
    public async Task Server_streaming_delivers_every_message_in_order()
    {
        var replies = new List<EchoReply>();
        await foreach (var reply in _channel.ServerStreamingAsync<EchoRequest, EchoReply>(
                           Svc + "Stream", new EchoRequest { Text = "item", Count = 20 }, Options(TimeSpan.FromSeconds(30))))
            replies.Add(reply);
        Assert.Equal(Enumerable.Range(0, 20), replies.Select(r => r.Index));
        Assert.All(replies, r => Assert.Equal("item", r.Text));
    }

    [Fact]
    public async Task An_expiring_deadline_gives_deadline_exceeded_and_cancels_the_server_call()
    {
        // Long enough for the request to reach the server even on a loaded machine, so its cancellation is observable.
        var options = Options(TimeSpan.FromSeconds(2));
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            _channel.UnaryAsync<EchoRequest, EchoReply>(Svc + "Slow", new EchoRequest { DelayMs = 30_000 }, options));
        Assert.Equal(StatusCode.DeadlineExceeded, ex.Status);
        await node.WaitForEventAsync("slow-cancelled", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task An_error_status_with_non_ascii_text_round_trips_exactly()
    {
        var request = new EchoRequest { Text = NonAsciiMessage, StatusCode = (int)StatusCode.FailedPrecondition };
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            _channel.UnaryAsync<EchoRequest, EchoReply>(Svc + "Fail", request, Options(TimeSpan.FromSeconds(20))));
        Assert.Equal(StatusCode.FailedPrecondition, ex.Status);
        Assert.Equal(NonAsciiMessage, ex.Detail);
        Assert.Equal("failed on purpose", ex.Trailers.GetValue("x-detail"));
    }

    [Fact]
    public async Task An_rpc_the_server_does_not_implement_is_unimplemented()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            _channel.UnaryAsync<EchoRequest, EchoReply>(Svc + "Boom", new EchoRequest(), Options(TimeSpan.FromSeconds(20))));
        Assert.Equal(StatusCode.Unimplemented, ex.Status);
    }

    [Fact]
    public async Task Health_check_reports_serving_and_an_unknown_service_is_not_found()
    {
        var health = new HealthClient(_channel);
        var reply = await health.CheckAsync(new HealthCheckRequest(), CallOptions.WithTimeout(TimeSpan.FromSeconds(20)));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            health.CheckAsync(new HealthCheckRequest { Service = "no.such.Service" }, CallOptions.WithTimeout(TimeSpan.FromSeconds(20))));
        Assert.Equal(StatusCode.NotFound, ex.Status);
    }

    public void Dispose() => _channel.Dispose();
}
