using System.Net;
using System.Net.Http.Headers;

namespace Genie.ServiceDefaults.Grpc.Client;

/// <summary>A request body of one already-framed message.</summary>
internal sealed class GrpcMessageContent : HttpContent
{
    private static readonly MediaTypeHeaderValue GrpcContentType = new("application/grpc");
    private readonly byte[] _frame;

    public GrpcMessageContent(byte[] frame)
    {
        _frame = frame;
        Headers.ContentType = GrpcContentType;
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        stream.WriteAsync(_frame).AsTask();

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        stream.WriteAsync(_frame, cancellationToken).AsTask();

    protected override bool TryComputeLength(out long length)
    {
        length = _frame.Length;
        return true;
    }
}
