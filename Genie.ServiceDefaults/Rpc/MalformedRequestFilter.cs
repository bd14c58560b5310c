using System.Buffers.Binary;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace Genie.ServiceDefaults.Rpc;

/// <summary>
/// Refuses a request to a Genie rpc whose body is not one well-formed gRPC frame holding a valid message of the rpc's
/// request type, with INVALID_ARGUMENT naming what is wrong. Grpc.AspNetCore would answer such bytes with UNKNOWN
/// ("Exception was thrown by handler") or INTERNAL. A NUL character in any string field is refused too: PostgreSQL
/// text cannot hold it, and the insert would fail as INTERNAL. Runs after authentication, so a caller without a valid token
/// learns nothing; an over-size frame is left to Grpc.AspNetCore, which answers RESOURCE_EXHAUSTED.
/// </summary>
internal sealed class MalformedRequestFilter(RequestDelegate next)
{
    private const int PrefixLength = 5;

    // Every rpc of every Genie service whose request is one message (all of them: none streams requests).
    private static readonly Dictionary<string, MessageDescriptor> RequestTypes =
        typeof(Genie.Contracts.Agent.V1.AgentService).Assembly.GetTypes()
            .Where(type => type is { IsAbstract: true, IsSealed: true })
            .Select(type => type.GetProperty("Descriptor")?.GetValue(null) as ServiceDescriptor)
            .OfType<ServiceDescriptor>()
            .SelectMany(service => service.Methods.Where(m => !m.IsClientStreaming).Select(m => (Path: $"/{service.FullName}/{m.Name}", m.InputType)))
            .DistinctBy(m => m.Path)
            .ToDictionary(m => m.Path, m => m.InputType, StringComparer.Ordinal);

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) != true
            || !RequestTypes.TryGetValue(context.Request.Path.Value ?? "", out var requestType)
            || context.Request.Headers.ContainsKey("grpc-encoding"))
        {
            await next(context);
            return;
        }
        context.Request.EnableBuffering();
        var prefix = new byte[PrefixLength];
        var read = await context.Request.Body.ReadAtLeastAsync(prefix, PrefixLength, throwOnEndOfStream: false, context.RequestAborted);
        var declared = read == PrefixLength ? BinaryPrimitives.ReadUInt32BigEndian(prefix.AsSpan(1)) : 0;
        if (read == PrefixLength && declared > GrpcServerDefaults.DefaultMaxReceiveMessageSize)
        {
            context.Request.Body.Position = 0; // the size limits (per service) are Grpc.AspNetCore's
            await next(context);
            return;
        }
        var problem = read < PrefixLength ? "the gRPC frame ends inside its 5-byte prefix"
            : prefix[0] != 0 ? "the gRPC frame is marked compressed but the call names no grpc-encoding"
            : null;
        if (problem is null)
        {
            var payload = new byte[declared];
            var got = await context.Request.Body.ReadAtLeastAsync(payload, payload.Length, throwOnEndOfStream: false, context.RequestAborted);
            var extra = await context.Request.Body.ReadAsync(new byte[1], context.RequestAborted);
            problem = got < payload.Length ? $"the gRPC frame is truncated ({got} of the {declared} bytes its prefix announces)"
                : extra > 0 ? "the body holds more bytes than its gRPC length prefix announces"
                : Invalid(requestType, payload);
        }
        if (problem is not null)
        {
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = ((int)StatusCode.InvalidArgument).ToString();
            context.Response.Headers["grpc-message"] = Uri.EscapeDataString($"request: {problem}");
            return;
        }
        context.Request.Body.Position = 0;
        await next(context);
    }

    private static string? Invalid(MessageDescriptor type, byte[] payload)
    {
        try
        {
            return NulIn(type.Parser.ParseFrom(payload), "") is { } field ? $"{field} contains a NUL character" : null;
        }
        catch (InvalidProtocolBufferException e)
        {
            return $"not a valid {type.FullName} message ({e.Message})";
        }
    }

    /// <summary>The path of the first string field (at any depth) holding U+0000, or null.</summary>
    private static string? NulIn(IMessage message, string prefix)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var value = field.Accessor.GetValue(message);
            var values = field.IsMap ? ((System.Collections.IDictionary)value).Values.Cast<object>().Concat(((System.Collections.IDictionary)value).Keys.Cast<object>())
                : field.IsRepeated ? ((System.Collections.IEnumerable)value).Cast<object>()
                : [value];
            foreach (var item in values)
            {
                if (item is string text && text.Contains('\0'))
                    return prefix + field.Name;
                if (item is IMessage inner && NulIn(inner, $"{prefix}{field.Name}.") is { } found)
                    return found;
            }
        }
        return null;
    }
}
