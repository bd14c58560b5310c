using System.Collections.Concurrent;
using System.Text;
using Genie.ServiceDefaults.Auth;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Xunit.Abstractions;

namespace Genie.Reliability.Tests.Abuse;

/// <summary>
/// Hostile requests generated per rpc from its descriptor, sent with a valid token of a role the rpc admits: each gets
/// a clear status (a decodable request never INTERNAL/UNKNOWN; nothing ever with a stack trace), malformed frames write
/// nothing, every service still answers health afterwards.
/// </summary>
[Collection(nameof(AbuseCollection))]
public sealed class BadInputTests(ServicesUnderAttack services, ITestOutputHelper output)
{
    /// <summary>Grpc.AspNetCore's MaxReceiveMessageSize for the rpc's service: 4 MiB, Retrieval's raised for uploads.</summary>
    private static int MessageLimit(ServicesUnderAttack.Rpc rpc) =>
        rpc.Service.FullName == "genie.retrieval.v1.RetrievalService" ? Genie.Retrieval.RetrievalOptions.UploadMessageLimit : 4 * 1024 * 1024;

    // rpcs some role may call with an empty request; the others refuse every case with PERMISSION_DENIED first
    private readonly ConcurrentDictionary<string, bool> _admitted = new();

    private sealed record Case(ServicesUnderAttack.Rpc Rpc, string Name, byte[] Body, StatusCode? Expected = null);

    [Fact]
    public async Task Hostile_requests_get_a_clear_status_malformed_ones_write_nothing_and_every_service_stays_up()
    {
        var rpcs = ServicesUnderAttack.Rpcs.Where(rpc => !rpc.Service.FullName.StartsWith("grpc.health", StringComparison.Ordinal)).ToList();
        var tokens = new ConcurrentDictionary<string, string>();
        await Parallel.ForEachAsync(rpcs, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (rpc, _) => tokens[rpc.Path] = await AdmittedTokenAsync(rpc));

        var before = await services.SnapshotAsync();
        var malformed = rpcs.SelectMany(Malformed).ToList();
        var failures = new ConcurrentBag<string>();
        await RunAsync(malformed, tokens, failures);
        Assert.Equal(before, await services.SnapshotAsync());

        var wellFormed = rpcs.SelectMany(WellFormedButHostile).ToList();
        await RunAsync(wellFormed, tokens, failures);
        foreach (var service in malformed.Concat(wellFormed).GroupBy(c => services.For(c.Rpc).Name))
            output.WriteLine($"{service.Key}: {service.Count()} hostile requests over {service.Select(c => c.Rpc).Distinct().Count()} rpcs");
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Order()));
        foreach (var target in services.ByService.Values)
            Assert.Equal(StatusCode.OK, await services.HealthAsync(target));
    }

    [Fact]
    public async Task Uploads_between_4_MiB_and_Retrievals_32_MiB_message_limit_get_a_clear_status_on_a_live_connection()
    {
        var kb = await services.Retrieval.CreateKbAsync("Large uploads");
        var source = await services.Retrieval.AddUploadSourceAsync(kb);
        var retrieval = services.ByService["genie.retrieval.v1.RetrievalService"].Address;
        var before = await services.SnapshotAsync();
        foreach (var mebibytes in new[] { 4, 5, 16, 31 })
        {
            var request = new Genie.Contracts.Retrieval.V1.UploadDocumentRequest
            {
                SourceId = source.Id,
                FileName = $"large-{mebibytes}.md",
                Content = ByteString.CopyFrom(RandomNumbers(mebibytes * 1024 * 1024 - 1024)),
            };
            var reply = await services.Grpc.CallAsync(retrieval, "/genie.retrieval.v1.RetrievalService/UploadDocument", RawGrpc.Frame(request.ToByteArray()), services.Token(Roles.Admin));
            output.WriteLine($"UploadDocument of {mebibytes} MiB: {reply.Status} '{reply.Message}'");
            // this host's Genie:Retrieval:MaxUploadBytes is 1 MiB: past it, a plain refusal naming the field and the limit
            Assert.Equal(StatusCode.InvalidArgument, reply.Status);
            Assert.Contains("content", reply.Message, StringComparison.Ordinal);
            Assert.Contains("limited to", reply.Message, StringComparison.Ordinal);
        }
        var over = await services.Grpc.CallAsync(retrieval, "/genie.retrieval.v1.RetrievalService/UploadDocument",
            RawGrpc.Frame(new byte[Genie.Retrieval.RetrievalOptions.UploadMessageLimit + 1]), services.Token(Roles.Admin));
        Assert.Equal(StatusCode.ResourceExhausted, over.Status);
        Assert.Equal(before, await services.SnapshotAsync());
        Assert.Equal(StatusCode.OK, await services.HealthAsync(services.ByService["genie.retrieval.v1.RetrievalService"]));
    }

    private async Task RunAsync(List<Case> cases, ConcurrentDictionary<string, string> tokens, ConcurrentBag<string> failures) =>
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (c, _) =>
        {
            RawGrpc.Reply reply;
            try
            {
                reply = await services.Grpc.CallAsync(services.For(c.Rpc).Address, c.Rpc.Path, c.Body, tokens[c.Rpc.Path]);
            }
            catch (HttpRequestException e)
            {
                failures.Add($"{c.Rpc} {c.Name}: no gRPC answer ({e.InnerException?.InnerException?.Message ?? e.Message})");
                return;
            }
            bool clear;
            if (c.Expected is { } expected)
                clear = reply.Status == expected || (reply.Status == StatusCode.PermissionDenied && !_admitted.ContainsKey(c.Rpc.Path));
            else if (!Decodable(c))
                // Bytes that are no message of the rpc's type never reach a handler: Grpc.AspNetCore answers them the way
                // gRPC does (INTERNAL for a broken frame, UNKNOWN for an unparseable message) with its generic text.
                clear = reply.Status is StatusCode.Internal or StatusCode.Unknown or StatusCode.InvalidArgument or StatusCode.PermissionDenied
                    && !reply.Message.Contains("   at ", StringComparison.Ordinal) && !reply.Message.Contains("Protobuf", StringComparison.Ordinal);
            else
                clear = reply.Status is not (StatusCode.Internal or StatusCode.Unknown or StatusCode.DeadlineExceeded or StatusCode.Unavailable)
                    // with a valid token, only an rpc that authenticates by a request field (ExchangeToken) may say UNAUTHENTICATED
                    && (reply.Status != StatusCode.Unauthenticated || ServicesUnderAttack.Anonymous.Contains(c.Rpc.Path))
                    && !reply.Message.Contains("   at ", StringComparison.Ordinal) && !reply.Message.Contains("Exception", StringComparison.Ordinal);
            if (!clear)
                failures.Add($"{c.Rpc} {c.Name}: {reply.Status} '{reply.Message}'");
        });

    /// <summary>Whether the body is one uncompressed frame holding a message the rpc's request type parses.</summary>
    private static bool Decodable(Case c)
    {
        if (c.Body.Length < 5 || c.Body[0] != 0 || System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(c.Body.AsSpan(1)) != c.Body.Length - 5)
            return false;
        try
        {
            c.Rpc.Method.InputType.Parser.ParseFrom(c.Body.AsSpan(5).ToArray());
            return true;
        }
        catch (InvalidProtocolBufferException)
        {
            return false;
        }
    }

    /// <summary>
    /// A valid token of the first role not refused with PERMISSION_DENIED. An rpc that refuses an empty request from
    /// every role (it checks who is asked about) gets the first role its [Authorize] lets through (not HTTP 403).
    /// </summary>
    private async Task<string> AdmittedTokenAsync(ServicesUnderAttack.Rpc rpc)
    {
        string? passesAuthorize = null;
        foreach (var role in new[] { Roles.Admin, Roles.Service, Roles.Instructor, Roles.Learner })
        {
            var token = services.Token(role);
            var reply = await services.Grpc.CallAsync(services.For(rpc).Address, rpc.Path, RawGrpc.Frame(Encode(_ => { })), token);
            if (reply.Status != StatusCode.PermissionDenied)
            {
                _admitted[rpc.Path] = true;
                return token;
            }
            if (reply.Message != "HTTP 403")
                passesAuthorize ??= token;
        }
        return passesAuthorize ?? services.Token(Roles.Admin);
    }

    /// <summary>Frames no client could send: the service must refuse them before anything is written.</summary>
    private static IEnumerable<Case> Malformed(ServicesUnderAttack.Rpc rpc)
    {
        var random = new Random(rpc.Path.Length * 7919 + rpc.Method.Index);
        yield return new(rpc, "truncated frame", RawGrpc.Frame(new byte[10], claimedLength: 100));
        yield return new(rpc, "length prefix shorter than the message", RawGrpc.Frame(Encoding.UTF8.GetBytes(new string('x', 50)), claimedLength: 5));
        yield return new(rpc, "half a prefix", [0, 0, 0]);
        yield return new(rpc, "compressed flag without grpc-encoding", [1, 0, 0, 0, 2, 8, 1]);
        yield return new(rpc, "over-size message", RawGrpc.Frame(new byte[MessageLimit(rpc) + 1]), StatusCode.ResourceExhausted);
        // bytes that are no protobuf message: a field number 0 tag, then noise; and a varint that never ends
        var noise = new byte[64];
        random.NextBytes(noise);
        noise[0] = 0x07;
        yield return new(rpc, "random bytes", RawGrpc.Frame(noise));
        yield return new(rpc, "unterminated varint", RawGrpc.Frame([0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]));
        foreach (var field in rpc.Method.InputType.Fields.InFieldNumberOrder())
            yield return new(rpc, $"{field.Name} length beyond the message", RawGrpc.Frame(Encode(o =>
            {
                o.WriteTag(field.FieldNumber, WireFormat.WireType.LengthDelimited);
                o.WriteLength(1000);
                o.WriteRawTag(1, 2, 3);
            })));
    }

    /// <summary>Parseable but hostile requests: each needs a clear answer; what a valid request may write it may.</summary>
    private static IEnumerable<Case> WellFormedButHostile(ServicesUnderAttack.Rpc rpc)
    {
        yield return new(rpc, "empty message (every required field missing)", RawGrpc.Frame(Encode(_ => { })));
        foreach (var field in rpc.Method.InputType.Fields.InFieldNumberOrder())
        {
            var number = field.FieldNumber;
            switch (field.FieldType)
            {
                case FieldType.String:
                    yield return new(rpc, $"{field.Name} invalid UTF-8", Frame(o => { o.WriteTag(number, WireFormat.WireType.LengthDelimited); o.WriteBytes(ByteString.CopyFrom(0xC3, 0x28, 0xFF, 0xFE)); }));
                    yield return new(rpc, $"{field.Name} with NUL", Frame(o => { o.WriteTag(number, WireFormat.WireType.LengthDelimited); o.WriteString("a\0b"); }));
                    yield return new(rpc, $"{field.Name} 1 MB", Frame(o => { o.WriteTag(number, WireFormat.WireType.LengthDelimited); o.WriteString(new string('é', 512 * 1024)); }));
                    yield return new(rpc, $"{field.Name} as varint (wrong wire type)", Frame(o => { o.WriteTag(number, WireFormat.WireType.Varint); o.WriteInt64(42); }));
                    if (field.IsRepeated)
                        yield return new(rpc, $"{field.Name} 20k items", Frame(o => { for (var i = 0; i < 20_000; i++) { o.WriteTag(number, WireFormat.WireType.LengthDelimited); o.WriteString("x"); } }));
                    break;
                case FieldType.Int32 or FieldType.Int64 or FieldType.UInt32 or FieldType.UInt64 or FieldType.SInt32 or FieldType.SInt64 or FieldType.Enum:
                    yield return new(rpc, $"{field.Name} = -1", Frame(o => { o.WriteTag(number, WireFormat.WireType.Varint); o.WriteInt64(-1); }));
                    yield return new(rpc, $"{field.Name} = int.MaxValue", Frame(o => { o.WriteTag(number, WireFormat.WireType.Varint); o.WriteInt64(int.MaxValue); }));
                    yield return new(rpc, $"{field.Name} = long.MinValue", Frame(o => { o.WriteTag(number, WireFormat.WireType.Varint); o.WriteInt64(long.MinValue); }));
                    yield return new(rpc, $"{field.Name} as bytes (wrong wire type)", Frame(o => { o.WriteTag(number, WireFormat.WireType.LengthDelimited); o.WriteBytes(ByteString.CopyFromUtf8("ten")); }));
                    break;
                case FieldType.Message:
                    yield return new(rpc, $"{field.Name} nested 200 deep", RawGrpc.Frame(Nested(number, 200)));
                    if (field.IsRepeated)
                        yield return new(rpc, $"{field.Name} 20k empty items", Frame(o => { for (var i = 0; i < 20_000; i++) { o.WriteTag(number, WireFormat.WireType.LengthDelimited); o.WriteLength(0); } }));
                    break;
                case FieldType.Bytes:
                    yield return new(rpc, $"{field.Name} 3 MB of noise", Frame(o => { o.WriteTag(number, WireFormat.WireType.LengthDelimited); o.WriteBytes(ByteString.CopyFrom(RandomNumbers(3 * 1024 * 1024))); }));
                    break;
            }
        }
    }

    private static byte[] RandomNumbers(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    /// <summary>The field's tag nested inside itself <paramref name="depth"/> times (past protobuf's recursion limit of 100).</summary>
    private static byte[] Nested(int fieldNumber, int depth)
    {
        var inner = Array.Empty<byte>();
        for (var i = 0; i < depth; i++)
            inner = Encode(o => { o.WriteTag(fieldNumber, WireFormat.WireType.LengthDelimited); o.WriteBytes(ByteString.CopyFrom(inner)); });
        return inner;
    }

    private static byte[] Frame(Action<CodedOutputStream> write) => RawGrpc.Frame(Encode(write));

    private static byte[] Encode(Action<CodedOutputStream> write)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        write(output);
        output.Flush();
        return stream.ToArray();
    }
}
