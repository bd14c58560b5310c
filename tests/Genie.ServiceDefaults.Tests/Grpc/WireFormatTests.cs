using System.Buffers;
using System.IO.Pipelines;
using Genie.ServiceDefaults.Grpc;
using Genie.ServiceDefaults.Grpc.Server;
using Genie.Test.V1;
using Google.Protobuf;

namespace Genie.ServiceDefaults.Tests.Grpc;

public sealed class WireFormatTests
{
    [Fact]
    public async Task A_message_split_across_many_reads_is_reassembled()
    {
        var frame = GrpcFraming.ToFrame(new EchoRequest { Text = "split across reads", Count = 7 });
        var pipe = new Pipe();
        var reading = GrpcFraming.ReadMessageAsync(pipe.Reader, EchoRequest.Parser, 1024, null, CancellationToken.None).AsTask();
        foreach (var b in frame)
        {
            await pipe.Writer.WriteAsync(new[] { b });
            await Task.Yield();
        }
        await pipe.Writer.CompleteAsync();
        var message = await reading;
        Assert.Equal("split across reads", message!.Text);
        Assert.Equal(7, message.Count);
    }

    [Fact]
    public async Task Several_messages_in_one_read_come_out_one_by_one()
    {
        var pipe = new Pipe();
        var both = GrpcFraming.ToFrame(new EchoRequest { Text = "a" }).Concat(GrpcFraming.ToFrame(new EchoRequest { Text = "b" })).ToArray();
        await pipe.Writer.WriteAsync(both);
        await pipe.Writer.CompleteAsync();
        var first = await GrpcFraming.ReadMessageAsync(pipe.Reader, EchoRequest.Parser, 1024, null, default);
        var second = await GrpcFraming.ReadMessageAsync(pipe.Reader, EchoRequest.Parser, 1024, null, default);
        var end = await GrpcFraming.ReadMessageAsync(pipe.Reader, EchoRequest.Parser, 1024, null, default);
        Assert.Equal(["a", "b"], new[] { first!.Text, second!.Text });
        Assert.Null(end);
    }

    [Fact]
    public async Task A_zero_length_message_is_valid()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[] { 0, 0, 0, 0, 0 });
        await pipe.Writer.CompleteAsync();
        var message = await GrpcFraming.ReadMessageAsync(pipe.Reader, EchoRequest.Parser, 1024, null, default);
        Assert.Equal(new EchoRequest(), message);
    }

    [Fact]
    public async Task A_length_prefix_over_the_limit_is_resource_exhausted_before_the_body_arrives()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[] { 0, 0, 0x10, 0, 0 }); // 1 MiB announced, nothing sent
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            GrpcFraming.ReadMessageAsync(pipe.Reader, EchoRequest.Parser, 1024, null, default).AsTask());
        Assert.Equal(StatusCode.ResourceExhausted, ex.Status);
    }

    [Fact]
    public async Task A_stream_ending_inside_a_message_is_an_internal_error()
    {
        var pipe = new Pipe();
        var frame = GrpcFraming.ToFrame(new EchoRequest { Text = "truncated" });
        await pipe.Writer.WriteAsync(frame.AsMemory(0, frame.Length - 2));
        await pipe.Writer.CompleteAsync();
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            GrpcFraming.ReadMessageAsync(pipe.Reader, EchoRequest.Parser, 1024, null, default).AsTask());
        Assert.Equal(StatusCode.Internal, ex.Status);
    }

    [Fact]
    public async Task A_gzip_compressed_message_is_decompressed()
    {
        var payload = new EchoRequest { Text = new string('z', 500) }.ToByteArray();
        using var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(payload);
        var body = compressed.ToArray();
        var frame = new byte[5 + body.Length];
        frame[0] = 1;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)body.Length);
        body.CopyTo(frame, 5);
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(frame);
        await pipe.Writer.CompleteAsync();
        var message = await GrpcFraming.ReadMessageAsync(pipe.Reader, EchoRequest.Parser, 4096, "gzip", default);
        Assert.Equal(500, message!.Text.Length);
    }

    [Fact]
    public void Frames_have_the_five_byte_big_endian_prefix()
    {
        var frame = GrpcFraming.ToFrame(new EchoRequest { Text = "hi" });
        Assert.Equal(0, frame[0]);
        Assert.Equal((uint)(frame.Length - 5), System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(1)));
    }

    [Theory]
    [InlineData("1S", 10_000_000L)]
    [InlineData("250m", 2_500_000L)]
    [InlineData("99999999u", 999_999_990L)]
    [InlineData("2H", 72_000_000_000L)]
    [InlineData("1M", 600_000_000L)]
    [InlineData("500n", 5L)]
    public void Grpc_timeout_values_parse(string header, long ticks)
    {
        Assert.True(GrpcTimeout.TryParse(header, out var timeout));
        Assert.Equal(ticks, timeout.Ticks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("123456789S")]
    [InlineData("10x")]
    [InlineData("-1S")]
    public void Malformed_grpc_timeouts_are_rejected(string header) =>
        Assert.False(GrpcTimeout.TryParse(header, out _));

    [Fact]
    public void Formatted_timeouts_fit_eight_digits_and_round_trip_without_shrinking()
    {
        foreach (var timeout in new[] { TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromHours(30), TimeSpan.FromDays(3000) })
        {
            var header = GrpcTimeout.Format(timeout);
            Assert.True(header.Length <= 9, header);
            Assert.True(GrpcTimeout.TryParse(header, out var parsed));
            Assert.True(parsed >= timeout, $"{header} < {timeout}");
        }
    }

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("100%", "100%25")]
    [InlineData("über", "%C3%BCber")]
    [InlineData("tab\there", "tab%09here")]
    public void Status_messages_are_percent_encoded(string message, string encoded)
    {
        Assert.Equal(encoded, StatusMessageEncoding.Encode(message));
        Assert.Equal(message, StatusMessageEncoding.Decode(encoded));
    }

    [Fact]
    public void Malformed_percent_encoding_passes_through() =>
        Assert.Equal("50%zz and %", StatusMessageEncoding.Decode("50%zz and %"));

    private sealed class HalfHandler
    {
        public Task<EchoReply> Echo(EchoRequest request, ServerCallContext context) => Task.FromResult(new EchoReply());
    }

    [Fact]
    public void Binding_a_handler_that_misses_an_rpc_fails_and_names_it()
    {
        var ex = Assert.Throws<InvalidOperationException>(() =>
            GrpcMethodBinding.Bind<HalfHandler>(EchoReflection.Descriptor.Services[0]));
        Assert.Contains("Stream", ex.Message);
        Assert.Contains("Boom", ex.Message);
    }
}
