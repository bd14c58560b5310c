using System.Net;
using System.Net.Http.Headers;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Genie.ServiceDefaults.Grpc;
using Genie.ServiceDefaults.Grpc.Client;
using Genie.Test.V1;
using Google.Protobuf;
using Grpc.Health.V1;

namespace Genie.ServiceDefaults.Tests.Grpc;

public sealed class TransportTests(EchoServerFixture server) : IClassFixture<EchoServerFixture>
{
    private const string Svc = "/genie.test.v1.EchoService/";

    private Task<EchoReply> Call(string method, EchoRequest request, CallOptions options) =>
        server.Channel.UnaryAsync<EchoRequest, EchoReply>(Svc + method, request, options);

    [Fact]
    public async Task Unary_call_round_trips_the_message_and_the_authenticated_caller()
    {
        var reply = await Call("Echo", new EchoRequest { Text = "hello" }, server.As(Roles.Learner));
        Assert.Equal("hello", reply.Text);
        Assert.Equal("user-1", reply.Caller);
    }

    [Fact]
    public async Task Custom_metadata_reaches_the_handler()
    {
        var headers = new Metadata { { "x-test", "abc-123" } };
        var reply = await Call("Echo", new EchoRequest(), server.As(Roles.Learner) with { Headers = headers });
        Assert.Equal("abc-123", reply.Metadata);
    }

    [Fact]
    public async Task Server_streaming_delivers_every_message_in_order()
    {
        var replies = new List<EchoReply>();
        await foreach (var reply in server.Channel.ServerStreamingAsync<EchoRequest, EchoReply>(
                           Svc + "Stream", new EchoRequest { Text = "s", Count = 25 }, server.As(Roles.Learner)))
            replies.Add(reply);
        Assert.Equal(Enumerable.Range(0, 25), replies.Select(r => r.Index));
    }

    [Fact]
    public async Task Deadline_expiry_gives_deadline_exceeded_and_cancels_the_handler()
    {
        var host = await EchoServerFixture.StartEchoServerAsync();
        await using var _ = host;
        using var channel = new GrpcChannel([host.GrpcAddress]);
        var observations = host.Services.GetService(typeof(EchoObservations)) as EchoObservations;
        // Long enough that the call reaches the handler even on a loaded machine; far shorter than the handler's wait.
        var options = new CallOptions { BearerToken = host.IssueToken(Roles.Learner), Deadline = DateTimeOffset.UtcNow.AddSeconds(2) };
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryAsync<EchoRequest, EchoReply>(Svc + "Slow", new EchoRequest { DelayMs = 120_000 }, options));
        Assert.Equal(StatusCode.DeadlineExceeded, ex.Status);
        Assert.True(observations!.SlowStarted.Task.IsCompleted, "the handler never started");
        await observations.SlowCancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Server_sees_the_deadline_the_client_sent()
    {
        var before = DateTimeOffset.UtcNow;
        var reply = await Call("Echo", new EchoRequest(), server.As(Roles.Learner, TimeSpan.FromSeconds(20)));
        var deadline = DateTimeOffset.Parse(reply.Deadline);
        Assert.InRange(deadline, before.AddSeconds(19), before.AddSeconds(21));
    }

    [Fact]
    public async Task Client_cancellation_reaches_the_server_handler()
    {
        var host = await EchoServerFixture.StartEchoServerAsync();
        await using var _ = host;
        using var channel = new GrpcChannel([host.GrpcAddress]);
        var observations = (EchoObservations)host.Services.GetService(typeof(EchoObservations))!;
        using var cts = new CancellationTokenSource();
        var call = channel.UnaryAsync<EchoRequest, EchoReply>(Svc + "Slow", new EchoRequest { DelayMs = 30_000 },
            new CallOptions { BearerToken = host.IssueToken(Roles.Learner), CancellationToken = cts.Token });
        await observations.SlowStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        cts.Cancel();
        var ex = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.Equal(StatusCode.Cancelled, ex.Status);
        await observations.SlowCancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Error_status_carries_a_non_ascii_message_and_custom_trailers()
    {
        const string message = "Überprüfung fehlgeschlagen: 100% ✓ — 日本語";
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            Call("Fail", new EchoRequest { Text = message, StatusCode = (int)StatusCode.NotFound }, server.As(Roles.Learner)));
        Assert.Equal(StatusCode.NotFound, ex.Status);
        Assert.Equal(message, ex.Detail);
        Assert.Equal("failed on purpose", ex.Trailers.GetValue("x-detail"));
    }

    [Fact]
    public async Task Unknown_method_is_unimplemented()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Call("NoSuchMethod", new EchoRequest(), server.As(Roles.Learner)));
        Assert.Equal(StatusCode.Unimplemented, ex.Status);
        Assert.Contains("NoSuchMethod", ex.Detail);
    }

    [Fact]
    public async Task Non_grpc_content_type_gets_http_415()
    {
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var content = new StringContent("{\"text\":\"hi\"}");
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(new Uri(server.Host.GrpcAddress, Svc + "Echo"), content);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Unhandled_exception_is_internal_with_a_generic_message_that_leaks_nothing()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Call("Boom", new EchoRequest(), server.As(Roles.Learner)));
        Assert.Equal(StatusCode.Internal, ex.Status);
        Assert.DoesNotContain("hunter2", ex.Detail);
        Assert.DoesNotContain("InvalidOperationException", ex.Detail);
        Assert.Contains("trace id", ex.Detail);
    }

    [Fact]
    public async Task Request_over_the_receive_limit_is_resource_exhausted()
    {
        var big = new EchoRequest { Payload = ByteString.CopyFrom(new byte[5 * 1024 * 1024]) };
        var ex = await Assert.ThrowsAsync<RpcException>(() => Call("Echo", big, server.As(Roles.Learner)));
        Assert.Equal(StatusCode.ResourceExhausted, ex.Status);
    }

    [Fact]
    public async Task A_method_can_raise_its_own_receive_limit()
    {
        var big = new EchoRequest { Payload = ByteString.CopyFrom(new byte[5 * 1024 * 1024]) };
        var reply = await Call("Big", big, server.As(Roles.Learner));
        Assert.Equal($"received {5 * 1024 * 1024}", reply.Text);
    }

    [Fact]
    public async Task Response_over_the_client_receive_limit_is_resource_exhausted()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            Call("Big", new EchoRequest { ReplySize = 5 * 1024 * 1024 }, server.As(Roles.Learner)));
        Assert.Equal(StatusCode.ResourceExhausted, ex.Status);
    }

    [Fact]
    public async Task Calls_without_a_token_are_unauthenticated()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Call("Echo", new EchoRequest(), new CallOptions()));
        Assert.Equal(StatusCode.Unauthenticated, ex.Status);
    }

    [Fact]
    public async Task An_expired_token_is_unauthenticated()
    {
        var expired = server.Host.Tokens.Issue("u", "u@x.test", "U", Roles.Admin, TimeSpan.FromMinutes(-5));
        var ex = await Assert.ThrowsAsync<RpcException>(() => Call("Echo", new EchoRequest(), new CallOptions { BearerToken = expired }));
        Assert.Equal(StatusCode.Unauthenticated, ex.Status);
        Assert.Contains("expired", ex.Detail);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_unauthenticated()
    {
        var otherKey = new TokenService(new AuthOptions { SigningKey = AuthOptions.DecodeKey(AuthOptions.GenerateKey()) });
        var forged = otherKey.Issue("u", "u@x.test", "U", Roles.Admin);
        var ex = await Assert.ThrowsAsync<RpcException>(() => Call("Echo", new EchoRequest(), new CallOptions { BearerToken = forged }));
        Assert.Equal(StatusCode.Unauthenticated, ex.Status);
        Assert.Contains("signature", ex.Detail);
    }

    [Fact]
    public async Task A_wrong_role_is_permission_denied_and_the_right_role_passes()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Call("AdminOnly", new EchoRequest(), server.As(Roles.Learner)));
        Assert.Equal(StatusCode.PermissionDenied, ex.Status);
        var reply = await Call("AdminOnly", new EchoRequest { Text = "ok" }, server.As(Roles.Admin));
        Assert.Equal("ok", reply.Text);
    }

    [Fact]
    public async Task Anonymous_methods_and_health_need_no_token()
    {
        var reply = await Call("Public", new EchoRequest { Text = "open" }, new CallOptions());
        Assert.Equal("open", reply.Text);
        Assert.Equal("", reply.Caller);
        var health = new HealthClient(server.Channel);
        var status = await health.CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, status.Status);
        var byName = await health.CheckAsync(new HealthCheckRequest { Service = "genie.test.v1.EchoService" });
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, byName.Status);
    }

    [Fact]
    public async Task Health_check_of_an_unknown_service_is_not_found_and_watch_streams_service_unknown()
    {
        var health = new HealthClient(server.Channel);
        var ex = await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(new HealthCheckRequest { Service = "nope.Service" }));
        Assert.Equal(StatusCode.NotFound, ex.Status);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var update in health.Watch(new HealthCheckRequest { Service = "nope.Service" }, new CallOptions { CancellationToken = cts.Token }))
        {
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.ServiceUnknown, update.Status);
            break;
        }
    }

    [Fact]
    public async Task Health_watch_sends_the_current_status_first()
    {
        var health = new HealthClient(server.Channel);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var first = await health.Watch(new HealthCheckRequest(), new CallOptions { CancellationToken = cts.Token }).FirstAsync(cts.Token);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, first.Status);
    }
}
