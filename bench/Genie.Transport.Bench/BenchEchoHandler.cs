using Genie.ServiceDefaults.Grpc;
using Genie.ServiceDefaults.Grpc.Server;
using Genie.Test.V1;
using Google.Protobuf;

namespace Genie.Transport.Bench;

/// <summary>echo.proto served the way tests/node/interop/server.js serves it.</summary>
public sealed class BenchEchoHandler
{
    public Task<EchoReply> Echo(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(Reply(request, context));

    public async Task Stream(EchoRequest request, IServerStreamWriter<EchoReply> responses, ServerCallContext context)
    {
        for (var i = 0; i < request.Count; i++)
        {
            if (request.DelayMs > 0)
                await Task.Delay(request.DelayMs, context.CancellationToken);
            await responses.WriteAsync(new EchoReply { Text = request.Text, Index = i });
        }
    }

    public async Task<EchoReply> Slow(EchoRequest request, ServerCallContext context)
    {
        await Task.Delay(request.DelayMs, context.CancellationToken);
        return new EchoReply { Text = request.Text };
    }

    public Task<EchoReply> Fail(EchoRequest request, ServerCallContext context) =>
        throw new RpcException((StatusCode)request.StatusCode, request.Text);

    public Task<EchoReply> Boom(EchoRequest request, ServerCallContext context) =>
        throw new InvalidOperationException("Boom fails on purpose.");

    public Task<EchoReply> Big(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(new EchoReply { Payload = ByteString.CopyFrom(new byte[request.ReplySize]) });

    public Task<EchoReply> AdminOnly(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(new EchoReply { Text = request.Text, Caller = context.RequireRole("admin").UserId });

    [AllowAnonymousCall]
    public Task<EchoReply> Public(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(Reply(request, context));

    // The same fields server.js fills in, so both servers send the same reply.
    private static EchoReply Reply(EchoRequest request, ServerCallContext context) => new()
    {
        Text = request.Text,
        Caller = context.IsAuthenticated ? context.Caller.UserId : "",
        Deadline = context.Deadline?.ToString("O") ?? "",
        Metadata = context.RequestHeaders.GetValue("x-test") ?? "",
    };
}
