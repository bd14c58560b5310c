using System.Collections;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Genie.ServiceDefaults.Rpc;

/// <summary>
/// Refuses a request with a NUL character in any text field, at any depth, with INVALID_ARGUMENT naming the
/// field: PostgreSQL text cannot hold U+0000, so the write would otherwise fail as INTERNAL.
/// </summary>
public sealed class RequestTextInterceptor : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(request);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(request);
        return continuation(request, responseStream, context);
    }

    private static void Check(object? request)
    {
        if (request is IMessage message && FieldWithNul(message, "") is { } field)
            throw RpcErrors.InvalidArgument(field, "must not contain a NUL character");
    }

    /// <summary>The path of the first string field holding U+0000, or null.</summary>
    private static string? FieldWithNul(IMessage message, string prefix)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var value = field.Accessor.GetValue(message);
            IEnumerable values = field.IsMap ? ((IDictionary)value).Keys.Cast<object>().Concat(((IDictionary)value).Values.Cast<object>())
                : field.IsRepeated ? (IEnumerable)value
                : new[] { value };
            foreach (var item in values)
            {
                if (item is string text && text.Contains('\0'))
                    return prefix + field.Name;
                if (item is IMessage inner && FieldWithNul(inner, $"{prefix}{field.Name}.") is { } found)
                    return found;
            }
        }
        return null;
    }
}
