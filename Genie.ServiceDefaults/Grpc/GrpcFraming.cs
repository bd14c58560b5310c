using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Pipelines;
using Google.Protobuf;

namespace Genie.ServiceDefaults.Grpc;

/// <summary>
/// Length-prefixed messages: 1 byte compressed flag, 4 bytes big-endian length, then the message.
/// Frames and DATA boundaries are unrelated, so reads buffer until a whole message is there.
/// </summary>
public static class GrpcFraming
{
    public const int HeaderSize = 5;
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

    /// <summary>Writes one uncompressed message into <paramref name="output"/>.</summary>
    public static void WriteMessage(IBufferWriter<byte> output, IMessage message)
    {
        var size = message.CalculateSize();
        var span = output.GetSpan(HeaderSize + size);
        span[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(span.Slice(1, 4), (uint)size);
        message.WriteTo(span.Slice(HeaderSize, size));
        output.Advance(HeaderSize + size);
    }

    public static byte[] ToFrame(IMessage message)
    {
        var writer = new ArrayBufferWriter<byte>(message.CalculateSize() + HeaderSize);
        WriteMessage(writer, message);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads the next message, or returns default when the stream ended cleanly between messages.
    /// </summary>
    /// <exception cref="RpcException">RESOURCE_EXHAUSTED over <paramref name="maxSize"/>; INTERNAL on a truncated
    /// or unparsable message, or a compressed one without a supported encoding.</exception>
    public static async ValueTask<T?> ReadMessageAsync<T>(
        PipeReader reader, MessageParser<T> parser, int maxSize, string? encoding, CancellationToken ct)
        where T : class, IMessage<T>
    {
        while (true)
        {
            var result = await reader.ReadAsync(ct).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (TryReadFrame(ref buffer, maxSize, out var compressed, out var payload))
            {
                try
                {
                    return Parse(parser, payload, compressed, encoding, maxSize);
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start);
                }
            }
            if (result.IsCompleted || result.IsCanceled)
            {
                var leftover = buffer.Length;
                reader.AdvanceTo(buffer.End);
                if (leftover == 0)
                    return null;
                throw new RpcException(StatusCode.Internal, "Incomplete message: the stream ended inside a message.");
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static bool TryReadFrame(
        ref ReadOnlySequence<byte> buffer, int maxSize, out bool compressed, out ReadOnlySequence<byte> payload)
    {
        compressed = false;
        payload = default;
        if (buffer.Length < HeaderSize)
            return false;
        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
        if (header[0] > 1)
            throw new RpcException(StatusCode.Internal, $"Invalid compressed flag {header[0]}.");
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (length > maxSize)
            throw new RpcException(StatusCode.ResourceExhausted,
                $"Received message larger than max ({length} vs. {maxSize})");
        if (buffer.Length < HeaderSize + length)
            return false;
        compressed = header[0] == 1;
        payload = buffer.Slice(HeaderSize, length);
        buffer = buffer.Slice(HeaderSize + length);
        return true;
    }

    private static T Parse<T>(MessageParser<T> parser, ReadOnlySequence<byte> payload, bool compressed, string? encoding, int maxSize)
        where T : class, IMessage<T>
    {
        try
        {
            if (!compressed)
                return parser.ParseFrom(payload);
            if (encoding is not ("gzip" or "deflate"))
                throw new RpcException(StatusCode.Internal,
                    $"Compressed message with unsupported grpc-encoding '{encoding ?? "(none)"}'.");
            using var input = new MemoryStream(payload.ToArray());
            using Stream decompressor = encoding == "gzip"
                ? new GZipStream(input, CompressionMode.Decompress)
                : new ZLibStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = decompressor.Read(chunk)) > 0)
            {
                output.Write(chunk, 0, read);
                if (output.Length > maxSize)
                    throw new RpcException(StatusCode.ResourceExhausted,
                        $"Decompressed message larger than max ({maxSize})");
            }
            return parser.ParseFrom(output.GetBuffer().AsSpan(0, (int)output.Length));
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(StatusCode.Internal, "Failed to parse the message.", inner: ex);
        }
        catch (InvalidDataException ex)
        {
            throw new RpcException(StatusCode.Internal, "Failed to decompress the message.", inner: ex);
        }
    }
}
