using System.Net;
using System.Net.Http.Headers;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Genie.Test.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using EchoClient = Genie.Test.V1.EchoService.EchoServiceClient;

namespace Genie.ServiceDefaults.Tests.Grpc;

/// <summary>
/// What a caller relies on from our Grpc.AspNetCore composition, called through an
/// <c>AddServiceClient</c> client: auth, deadlines, cancellation, status mapping, limits, health.
/// </summary>
public sealed class EndpointConfigurationTests(EchoServerFixture server) : IClassFixture<EchoServerFixture>
{
    private EchoClient Client => server.Client;

    [Fact]
    public async Task Unary_call_round_trips_the_message_and_the_authenticated_caller()
    {
        var reply = await Client.EchoAsync(new EchoRequest { Text = "hello" }, server.As(Roles.Learner));
        Assert.Equal("hello", reply.Text);
        Assert.Equal("user-1", reply.Caller);
    }

    [Fact]
    public async Task Custom_metadata_reaches_the_service()
    {
        var options = server.As(Roles.Learner);
        options.Headers!.Add("x-test", "abc-123");
        var reply = await Client.EchoAsync(new EchoRequest(), options);
        Assert.Equal("abc-123", reply.Metadata);
    }

    [Fact]
    public async Task Server_streaming_delivers_every_message_in_order()
    {
        using var call = Client.Stream(new EchoRequest { Text = "s", Count = 25 }, server.As(Roles.Learner));
        var replies = await call.ResponseStream.ReadAllAsync().ToListAsync();
        Assert.Equal(Enumerable.Range(0, 25), replies.Select(r => r.Index));
    }

    [Fact]
    public async Task Deadline_expiry_gives_deadline_exceeded_and_cancels_the_service_call()
    {
        await using var host = await EchoServerFixture.StartEchoServerAsync();
        await using var clients = EchoServerFixture.ClientsFor(host.GrpcAddress);
        var observations = host.Services.GetRequiredService<EchoObservations>();
        // Long enough that the call reaches the service even on a loaded machine; far shorter than its wait.
        var options = BearerToken.Options(host.IssueToken(Roles.Learner), TimeSpan.FromSeconds(2));
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            clients.GetRequiredService<EchoClient>().SlowAsync(new EchoRequest { DelayMs = 120_000 }, options).ResponseAsync);
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        await observations.SlowStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await observations.SlowCancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task The_service_sees_the_deadline_the_client_sent()
    {
        var before = DateTimeOffset.UtcNow;
        var reply = await Client.EchoAsync(new EchoRequest(), server.As(Roles.Learner, TimeSpan.FromSeconds(20)));
        Assert.InRange(DateTimeOffset.Parse(reply.Deadline), before.AddSeconds(19), before.AddSeconds(21));
    }

    [Fact]
    public async Task A_call_without_a_deadline_gets_the_clients_default()
    {
        var before = DateTimeOffset.UtcNow;
        var reply = await Client.EchoAsync(new EchoRequest(), BearerToken.Options(server.Host.IssueToken(Roles.Learner)));
        var deadline = DateTimeOffset.Parse(reply.Deadline);
        Assert.InRange(deadline, before + ServiceClients.DefaultDeadline - TimeSpan.FromSeconds(1), DateTimeOffset.UtcNow + ServiceClients.DefaultDeadline + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Client_cancellation_reaches_the_service()
    {
        await using var host = await EchoServerFixture.StartEchoServerAsync();
        await using var clients = EchoServerFixture.ClientsFor(host.GrpcAddress);
        var observations = host.Services.GetRequiredService<EchoObservations>();
        using var cts = new CancellationTokenSource();
        var call = clients.GetRequiredService<EchoClient>().SlowAsync(new EchoRequest { DelayMs = 30_000 },
            BearerToken.Options(host.IssueToken(Roles.Learner), TimeSpan.FromMinutes(2), cts.Token));
        await observations.SlowStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        cts.Cancel();
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        await observations.SlowCancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Error_status_carries_a_non_ascii_message_and_custom_trailers()
    {
        const string message = "Überprüfung fehlgeschlagen: 100% ✓ — 日本語";
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            Client.FailAsync(new EchoRequest { Text = message, StatusCode = (int)StatusCode.NotFound }, server.As(Roles.Learner)).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Equal(message, ex.Status.Detail);
        Assert.Equal("failed on purpose", ex.Trailers.GetValue("x-detail"));
    }

    [Fact]
    public async Task Unknown_method_is_unimplemented()
    {
        var invoker = server.Host.CreateChannel().CreateCallInvoker();
        var method = new Method<EchoRequest, EchoReply>(MethodType.Unary, "genie.test.v1.EchoService", "NoSuchMethod",
            Marshallers.Create(m => m.ToByteArray(), EchoRequest.Parser.ParseFrom), Marshallers.Create(m => m.ToByteArray(), EchoReply.Parser.ParseFrom));
        var ex = await Assert.ThrowsAsync<RpcException>(() => invoker.AsyncUnaryCall(method, null, server.As(Roles.Learner), new EchoRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    [Fact]
    public async Task Non_grpc_content_type_gets_http_415()
    {
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.Host.IssueToken(Roles.Learner));
        using var content = new StringContent("{\"text\":\"hi\"}");
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(new Uri(server.Host.GrpcAddress, "/genie.test.v1.EchoService/Echo"), content);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task The_http1_endpoint_does_not_serve_grpc()
    {
        using var channel = GrpcChannel.ForAddress(server.Host.HttpAddress);
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            new EchoClient(channel).EchoAsync(new EchoRequest(), server.As(Roles.Learner)).ResponseAsync);
        Assert.NotEqual(StatusCode.OK, ex.StatusCode);
    }

    [Fact]
    public async Task Unhandled_exception_is_internal_with_a_generic_message_that_leaks_nothing()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Client.BoomAsync(new EchoRequest(), server.As(Roles.Learner)).ResponseAsync);
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.DoesNotContain("hunter2", ex.Status.Detail);
        Assert.DoesNotContain("InvalidOperationException", ex.Status.Detail);
        Assert.Contains("trace id", ex.Status.Detail);
    }

    [Fact]
    public async Task Request_over_the_services_receive_limit_is_resource_exhausted()
    {
        var big = new EchoRequest { Payload = ByteString.CopyFrom(new byte[EchoServerFixture.MaxReceiveMessageSize + 1024]) };
        var ex = await Assert.ThrowsAsync<RpcException>(() => Client.EchoAsync(big, server.As(Roles.Learner)).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        var fits = new EchoRequest { Payload = ByteString.CopyFrom(new byte[EchoServerFixture.MaxReceiveMessageSize / 2]) };
        Assert.Equal($"received {fits.Payload.Length}", (await Client.BigAsync(fits, server.As(Roles.Learner))).Text);
    }

    [Fact]
    public async Task Response_over_the_client_receive_limit_is_resource_exhausted()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            Client.BigAsync(new EchoRequest { ReplySize = 5 * 1024 * 1024 }, server.As(Roles.Learner)).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task Calls_without_a_token_are_unauthenticated()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Client.EchoAsync(new EchoRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_unauthenticated()
    {
        var expired = server.Host.Tokens.Issue("u", "u@x.test", "U", Roles.Admin, TimeSpan.FromMinutes(-5));
        var ex = await Assert.ThrowsAsync<RpcException>(() => Client.EchoAsync(new EchoRequest(), BearerToken.Options(expired)).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_unauthenticated()
    {
        var otherKey = new TokenService(new AuthOptions { SigningKey = AuthOptions.DecodeKey(AuthOptions.GenerateKey()) });
        var forged = otherKey.Issue("u", "u@x.test", "U", Roles.Admin);
        var ex = await Assert.ThrowsAsync<RpcException>(() => Client.EchoAsync(new EchoRequest(), BearerToken.Options(forged)).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }

    [Fact]
    public async Task A_token_with_a_role_no_service_knows_is_refused()
    {
        var unknownRole = server.Host.Tokens.Issue("u", "u@x.test", "U", "superuser");
        var ex = await Assert.ThrowsAsync<RpcException>(() => Client.EchoAsync(new EchoRequest(), BearerToken.Options(unknownRole)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
    }

    [Fact]
    public async Task A_wrong_role_is_permission_denied_and_the_right_role_passes()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Client.AdminOnlyAsync(new EchoRequest(), server.As(Roles.Learner)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        var reply = await Client.AdminOnlyAsync(new EchoRequest { Text = "ok" }, server.As(Roles.Admin));
        Assert.Equal("ok", reply.Text);
    }

    [Fact]
    public async Task Anonymous_methods_and_health_need_no_token()
    {
        var reply = await Client.PublicAsync(new EchoRequest { Text = "open" });
        Assert.Equal("open", reply.Text);
        Assert.Equal("", reply.Caller);
        using var channel = server.Host.CreateChannel();
        var health = new global::Grpc.Health.V1.Health.HealthClient(channel);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
        var byName = await health.CheckAsync(new HealthCheckRequest { Service = "genie.test.v1.EchoService" });
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, byName.Status);
    }

    [Fact]
    public async Task Health_check_of_an_unknown_service_is_not_found()
    {
        using var channel = server.Host.CreateChannel();
        var health = new global::Grpc.Health.V1.Health.HealthClient(channel);
        var ex = await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(new HealthCheckRequest { Service = "nope.Service" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task Health_follows_the_readiness_checks()
    {
        await using var host = await EchoServerFixture.StartEchoServerAsync();
        using var channel = host.CreateChannel();
        var health = new global::Grpc.Health.V1.Health.HealthClient(channel);
        host.Services.GetRequiredService<EchoObservations>().Ready = false;
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest())).Status);
        var byName = await health.CheckAsync(new HealthCheckRequest { Service = "genie.test.v1.EchoService" });
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, byName.Status);
        host.Services.GetRequiredService<EchoObservations>().Ready = true;
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
    }

    [Fact]
    public async Task Health_watch_sends_the_current_status_first()
    {
        using var channel = server.Host.CreateChannel();
        var health = new global::Grpc.Health.V1.Health.HealthClient(channel);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var call = health.Watch(new HealthCheckRequest(), cancellationToken: cts.Token);
        Assert.True(await call.ResponseStream.MoveNext(cts.Token));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, call.ResponseStream.Current.Status);
    }
}
