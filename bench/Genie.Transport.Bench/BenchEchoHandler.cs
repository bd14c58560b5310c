using Genie.Test.V1;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace Genie.Transport.Bench;

/// <summary>echo.proto on Grpc.AspNetCore, answering the way tests/node/interop/server.js does.</summary>
public sealed class BenchEchoHandler : EchoService.EchoServiceBase
{
    public override Task<EchoReply> Echo(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(Reply(request, context));

    public override async Task Stream(EchoRequest request, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        for (var i = 0; i < request.Count; i++)
        {
            if (request.DelayMs > 0)
                await Task.Delay(request.DelayMs, context.CancellationToken);
            await responseStream.WriteAsync(new EchoReply { Text = request.Text, Index = i });
        }
    }

    public override async Task<EchoReply> Slow(EchoRequest request, ServerCallContext context)
    {
        await Task.Delay(request.DelayMs, context.CancellationToken);
        return new EchoReply { Text = request.Text };
    }

    public override Task<EchoReply> Fail(EchoRequest request, ServerCallContext context) =>
        throw new RpcException(new Status((StatusCode)request.StatusCode, request.Text));

    public override Task<EchoReply> Big(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(new EchoReply { Payload = ByteString.CopyFrom(new byte[request.ReplySize]) });

    [AllowAnonymous]
    public override Task<EchoReply> Public(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(Reply(request, context));

    // The same fields server.js fills in, so both servers send the same reply.
    private static EchoReply Reply(EchoRequest request, ServerCallContext context) => new()
    {
        Text = request.Text,
        Caller = context.GetHttpContext().User.FindFirst("sub")?.Value ?? "",
        Deadline = context.Deadline == DateTime.MaxValue ? "" : context.Deadline.ToString("O"),
        Metadata = context.RequestHeaders.GetValue("x-test") ?? "",
    };
}
