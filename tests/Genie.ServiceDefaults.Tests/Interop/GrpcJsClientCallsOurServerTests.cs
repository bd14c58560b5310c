using System.Text.Json;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Tests.Grpc;

namespace Genie.ServiceDefaults.Tests.Interop;

/// <summary>
/// A real @grpc/grpc-js client (tests/node/interop/client.js) calls the echo service hosted with our
/// ServiceDefaults composition: h2c on the grpc endpoint, JwtBearer auth, trailers, deadlines.
/// </summary>
public sealed class GrpcJsClientCallsOurServerTests(EchoServerFixture server) : IClassFixture<EchoServerFixture>
{
    // Must match NonAsciiMessage in client.js: accents, CJK, a 4-byte emoji, and the '%' and '#' that encoders trip on.
    private const string NonAsciiMessage = "Échec: ünïcødé — 日本語 ✓ 🚀 100% #1";

    private async Task<JsonElement> Run(string name)
    {
        var token = server.Host.IssueToken(Roles.Learner, userId: "js-user");
        var results = await NodePeer.RunClientAsync(server.Host.GrpcAddress.Authority, token, name);
        return results[name];
    }

    [Fact]
    public async Task Unary_call_carries_the_bearer_token_metadata_and_deadline()
    {
        var result = await Run("unary");
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        var response = result.GetProperty("response");
        Assert.Equal("hello from grpc-js", response.GetProperty("text").GetString());
        Assert.Equal("js-user", response.GetProperty("caller").GetString());
        Assert.Equal("abc-123", response.GetProperty("metadata").GetString());
        // client.js sets a 10 s deadline; the server saw it through grpc-timeout.
        var deadline = DateTimeOffset.Parse(response.GetProperty("deadline").GetString()!);
        Assert.InRange(deadline, DateTimeOffset.UtcNow - TimeSpan.FromMinutes(2), DateTimeOffset.UtcNow + TimeSpan.FromSeconds(11));
    }

    [Fact]
    public async Task A_call_without_a_token_is_unauthenticated()
    {
        var result = await Run("unauthenticated");
        Assert.False(result.GetProperty("ok").GetBoolean());
        Assert.Equal(16, result.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_wrong_role_is_permission_denied()
    {
        var result = await Run("forbidden");
        Assert.False(result.GetProperty("ok").GetBoolean());
        Assert.Equal(7, result.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Server_streaming_delivers_every_message_in_order()
    {
        var result = await Run("stream");
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        var indexes = result.GetProperty("responses").EnumerateArray().Select(r => r.GetProperty("index").GetInt32());
        Assert.Equal(Enumerable.Range(0, 20), indexes);
    }

    [Fact]
    public async Task An_expiring_deadline_gives_deadline_exceeded_and_cancels_the_handler()
    {
        var result = await Run("deadline");
        Assert.False(result.GetProperty("ok").GetBoolean());
        Assert.Equal(4, result.GetProperty("code").GetInt32());
        await server.Observations.SlowCancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task An_error_status_with_non_ascii_text_is_decoded_exactly()
    {
        var result = await Run("error");
        Assert.False(result.GetProperty("ok").GetBoolean());
        Assert.Equal(9, result.GetProperty("code").GetInt32());
        Assert.Equal(NonAsciiMessage, result.GetProperty("details").GetString());
        Assert.Equal("failed on purpose", result.GetProperty("metadata").GetProperty("x-detail").GetString());
    }

    [Fact]
    public async Task Health_check_without_a_token_reports_serving()
    {
        var result = await Run("health");
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.Equal("SERVING", result.GetProperty("response").GetProperty("status").GetString());
    }
}
