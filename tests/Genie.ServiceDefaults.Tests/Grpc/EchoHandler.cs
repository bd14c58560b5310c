using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Grpc;
using Genie.ServiceDefaults.Grpc.Server;
using Genie.Test.V1;
using Google.Protobuf;

namespace Genie.ServiceDefaults.Tests.Grpc;

/// <summary>The server side of echo.proto; records what it observed so tests can assert on it.</summary>
public sealed class EchoHandler(EchoObservations observations)
{
    public Task<EchoReply> Echo(EchoRequest request, ServerCallContext context)
    {
        Interlocked.Increment(ref observations.EchoCalls);
        return Task.FromResult(Reply(request, context));
    }

    public async Task Stream(EchoRequest request, IServerStreamWriter<EchoReply> responses, ServerCallContext context)
    {
        for (var i = 0; i < request.Count; i++)
        {
            if (request.DelayMs > 0)
                await Task.Delay(request.DelayMs, context.CancellationToken);
            var reply = Reply(request, context);
            reply.Index = i;
            await responses.WriteAsync(reply);
        }
    }

    public async Task<EchoReply> Slow(EchoRequest request, ServerCallContext context)
    {
        observations.SlowStarted.TrySetResult();
        try
        {
            await Task.Delay(request.DelayMs, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            observations.SlowCancelled.TrySetResult();
            throw;
        }
        return Reply(request, context);
    }

    public Task<EchoReply> Fail(EchoRequest request, ServerCallContext context)
    {
        context.ResponseTrailers.Add("x-detail", "failed on purpose");
        throw new RpcException((StatusCode)request.StatusCode, request.Text);
    }

    public Task<EchoReply> Boom(EchoRequest request, ServerCallContext context) =>
        throw new InvalidOperationException("secret connection string Password=hunter2");

    [MaxReceiveMessageSize(8 * 1024 * 1024)]
    public Task<EchoReply> Big(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(new EchoReply { Text = $"received {request.Payload.Length}", Payload = ByteString.CopyFrom(new byte[request.ReplySize]) });

    [RequireRole(Roles.Admin)]
    public Task<EchoReply> AdminOnly(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(Reply(request, context));

    [AllowAnonymousCall]
    public Task<EchoReply> Public(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(Reply(request, context));

    private static EchoReply Reply(EchoRequest request, ServerCallContext context) => new()
    {
        Text = request.Text,
        Caller = context.IsAuthenticated ? context.Caller.UserId : "",
        Deadline = context.Deadline?.ToString("O") ?? "",
        Metadata = context.RequestHeaders.GetValue("x-test") ?? "",
    };
}

/// <summary>Signals from inside the handler, shared per server.</summary>
public sealed class EchoObservations
{
    public int EchoCalls;

    public TaskCompletionSource SlowStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource SlowCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
