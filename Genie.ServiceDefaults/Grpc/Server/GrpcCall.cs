using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace Genie.ServiceDefaults.Grpc.Server;

/// <summary>The state of one call on the server: reading the request, writing responses.</summary>
internal sealed class GrpcCall(HttpContext http, ServerCallContext context, int maxReceiveMessageSize, string? requestEncoding)
{
    private int _writing;

    public HttpContext Http { get; } = http;

    public ServerCallContext Context { get; } = context;

    public bool ResponseStarted { get; private set; }

    public async Task<TRequest> ReadSingleRequestAsync<TRequest>(MessageParser<TRequest> parser)
        where TRequest : class, IMessage<TRequest>
    {
        var reader = Http.Request.BodyReader;
        var ct = Context.CancellationToken;
        var request = await GrpcFraming.ReadMessageAsync(reader, parser, maxReceiveMessageSize, requestEncoding, ct).ConfigureAwait(false)
            ?? throw new RpcException(StatusCode.Internal, "Request ended without a message.");
        // A unary request carries exactly one message; a second one is a cardinality violation.
        var extra = await GrpcFraming.ReadMessageAsync(reader, parser, maxReceiveMessageSize, requestEncoding, ct).ConfigureAwait(false);
        if (extra is not null)
            throw new RpcException(StatusCode.Unimplemented, "Expected one request message, received more.");
        return request;
    }

    public async Task WriteResponseAsync(IMessage message, bool flush)
    {
        if (Interlocked.Exchange(ref _writing, 1) == 1)
            throw new InvalidOperationException("Only one write at a time is allowed on a response stream.");
        try
        {
            Context.CancellationToken.ThrowIfCancellationRequested();
            ResponseStarted = true;
            GrpcFraming.WriteMessage(Http.Response.BodyWriter, message);
            if (flush)
                await Http.Response.BodyWriter.FlushAsync(Context.CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _writing, 0);
        }
    }
}
