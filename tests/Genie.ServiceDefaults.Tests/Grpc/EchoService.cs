using Genie.ServiceDefaults.Auth;
using Genie.Test.V1;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace Genie.ServiceDefaults.Tests.Grpc;

/// <summary>echo.proto served like the services serve theirs; records what it observed so tests can assert on it.</summary>
public sealed class EchoService(EchoObservations observations) : Test.V1.EchoService.EchoServiceBase
{
    public override Task<EchoReply> Echo(EchoRequest request, ServerCallContext context)
    {
        Interlocked.Increment(ref observations.EchoCalls);
        return Task.FromResult(Reply(request, context));
    }

    public override async Task Stream(EchoRequest request, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        for (var i = 0; i < request.Count; i++)
        {
            if (request.DelayMs > 0)
                await Task.Delay(request.DelayMs, context.CancellationToken);
            var reply = Reply(request, context);
            reply.Index = i;
            await responseStream.WriteAsync(reply);
        }
    }

    public override async Task<EchoReply> Slow(EchoRequest request, ServerCallContext context)
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

    public override Task<EchoReply> Fail(EchoRequest request, ServerCallContext context)
    {
        context.ResponseTrailers.Add("x-detail", "failed on purpose");
        throw new RpcException(new Status((StatusCode)request.StatusCode, request.Text));
    }

    public override Task<EchoReply> Boom(EchoRequest request, ServerCallContext context) =>
        throw new InvalidOperationException("secret connection string Password=hunter2");

    public override Task<EchoReply> Big(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(new EchoReply { Text = $"received {request.Payload.Length}", Payload = ByteString.CopyFrom(new byte[request.ReplySize]) });

    [Authorize(Roles = Roles.Admin)]
    public override Task<EchoReply> AdminOnly(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(Reply(request, context));

    [AllowAnonymous]
    public override Task<EchoReply> Public(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(Reply(request, context));

    private static EchoReply Reply(EchoRequest request, ServerCallContext context) => new()
    {
        Text = request.Text,
        Caller = context.GetHttpContext().User.Identity?.IsAuthenticated == true ? context.GetCaller().UserId : "",
        Deadline = context.Deadline == DateTime.MaxValue ? "" : new DateTimeOffset(context.Deadline).ToString("O"),
        Metadata = context.RequestHeaders.GetValue("x-test") ?? "",
    };
}

/// <summary>Signals from inside the service, shared per host.</summary>
public sealed class EchoObservations
{
    public int EchoCalls;

    /// <summary>What the readiness check reports.</summary>
    public volatile bool Ready = true;

    public TaskCompletionSource SlowStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource SlowCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
