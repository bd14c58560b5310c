using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Genie.ServiceDefaults.Grpc.Server;

/// <summary>One rpc bound to the handler method that serves it.</summary>
internal abstract class GrpcMethodBinding
{
    public required string Path { get; init; }
    public required MethodDescriptor Descriptor { get; init; }
    public required Type HandlerType { get; init; }
    public bool AllowAnonymous { get; init; }
    public IReadOnlyList<string>? RequiredRoles { get; init; }
    public int? MaxReceiveMessageSize { get; init; }

    public abstract Task InvokeAsync(GrpcCall call);

    /// <summary>
    /// Binds every rpc of <paramref name="service"/> to a public method of <typeparamref name="THandler"/> named after
    /// it (optionally with an Async suffix). Unary: <c>Task&lt;TResponse&gt; M(TRequest, ServerCallContext)</c>;
    /// server streaming: <c>Task M(TRequest, IServerStreamWriter&lt;TResponse&gt;, ServerCallContext)</c>.
    /// Throws listing every rpc that has no handler, so a service cannot start with a hole in its contract.
    /// </summary>
    public static IReadOnlyList<GrpcMethodBinding> Bind<THandler>(ServiceDescriptor service) where THandler : class
    {
        var bindings = new List<GrpcMethodBinding>();
        var missing = new List<string>();
        var classAnonymous = typeof(THandler).GetCustomAttribute<AllowAnonymousCallAttribute>() is not null;
        var classRoles = typeof(THandler).GetCustomAttribute<RequireRoleAttribute>()?.Roles;
        foreach (var method in service.Methods)
        {
            if (method.IsClientStreaming)
            {
                missing.Add($"{method.Name} (client streaming is not supported by this transport)");
                continue;
            }
            var info = FindHandlerMethod(typeof(THandler), method);
            if (info is null)
            {
                missing.Add(method.IsServerStreaming
                    ? $"Task {method.Name}({method.InputType.ClrType.Name}, IServerStreamWriter<{method.OutputType.ClrType.Name}>, ServerCallContext)"
                    : $"Task<{method.OutputType.ClrType.Name}> {method.Name}({method.InputType.ClrType.Name}, ServerCallContext)");
                continue;
            }
            var factory = typeof(GrpcMethodBinding)
                .GetMethod(method.IsServerStreaming ? nameof(CreateServerStreaming) : nameof(CreateUnary), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(typeof(THandler), method.InputType.ClrType, method.OutputType.ClrType);
            var binding = (GrpcMethodBinding)factory.Invoke(null, [info, method,
                classAnonymous || info.GetCustomAttribute<AllowAnonymousCallAttribute>() is not null,
                info.GetCustomAttribute<RequireRoleAttribute>()?.Roles ?? classRoles,
                info.GetCustomAttribute<MaxReceiveMessageSizeAttribute>()?.Bytes])!;
            bindings.Add(binding);
        }
        if (missing.Count > 0)
            throw new InvalidOperationException(
                $"{typeof(THandler).Name} does not handle every rpc of {service.FullName}: missing {string.Join("; ", missing)}");
        return bindings;
    }

    private static MethodInfo? FindHandlerMethod(Type handlerType, MethodDescriptor method)
    {
        var req = method.InputType.ClrType;
        var res = method.OutputType.ClrType;
        Type[] parameters = method.IsServerStreaming
            ? [req, typeof(IServerStreamWriter<>).MakeGenericType(res), typeof(ServerCallContext)]
            : [req, typeof(ServerCallContext)];
        var returns = method.IsServerStreaming ? typeof(Task) : typeof(Task<>).MakeGenericType(res);
        foreach (var name in new[] { method.Name, method.Name + "Async" })
        {
            var info = handlerType.GetMethod(name, BindingFlags.Public | BindingFlags.Instance, parameters);
            if (info is not null && info.ReturnType == returns)
                return info;
        }
        return null;
    }

    private static GrpcMethodBinding CreateUnary<THandler, TRequest, TResponse>(
        MethodInfo info, MethodDescriptor method, bool anonymous, IReadOnlyList<string>? roles, int? maxReceive)
        where THandler : class where TRequest : class, IMessage<TRequest> where TResponse : class, IMessage<TResponse>
    {
        var invoke = info.CreateDelegate<Func<THandler, TRequest, ServerCallContext, Task<TResponse>>>();
        return new UnaryBinding<THandler, TRequest, TResponse>(invoke, (MessageParser<TRequest>)method.InputType.Parser)
        {
            Path = $"/{method.Service.FullName}/{method.Name}",
            Descriptor = method,
            HandlerType = typeof(THandler),
            AllowAnonymous = anonymous,
            RequiredRoles = roles,
            MaxReceiveMessageSize = maxReceive,
        };
    }

    private static GrpcMethodBinding CreateServerStreaming<THandler, TRequest, TResponse>(
        MethodInfo info, MethodDescriptor method, bool anonymous, IReadOnlyList<string>? roles, int? maxReceive)
        where THandler : class where TRequest : class, IMessage<TRequest> where TResponse : class, IMessage<TResponse>
    {
        var invoke = info.CreateDelegate<Func<THandler, TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task>>();
        return new ServerStreamingBinding<THandler, TRequest, TResponse>(invoke, (MessageParser<TRequest>)method.InputType.Parser)
        {
            Path = $"/{method.Service.FullName}/{method.Name}",
            Descriptor = method,
            HandlerType = typeof(THandler),
            AllowAnonymous = anonymous,
            RequiredRoles = roles,
            MaxReceiveMessageSize = maxReceive,
        };
    }

    private sealed class UnaryBinding<THandler, TRequest, TResponse>(
        Func<THandler, TRequest, ServerCallContext, Task<TResponse>> invoke, MessageParser<TRequest> parser) : GrpcMethodBinding
        where THandler : class where TRequest : class, IMessage<TRequest> where TResponse : class, IMessage<TResponse>
    {
        public override async Task InvokeAsync(GrpcCall call)
        {
            var request = await call.ReadSingleRequestAsync(parser).ConfigureAwait(false);
            var handler = call.Http.RequestServices.GetRequiredService<THandler>();
            var response = await invoke(handler, request, call.Context).ConfigureAwait(false);
            if (response is null)
                throw new InvalidOperationException($"Handler for {Path} returned null.");
            await call.WriteResponseAsync(response, flush: false).ConfigureAwait(false);
        }
    }

    private sealed class ServerStreamingBinding<THandler, TRequest, TResponse>(
        Func<THandler, TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> invoke, MessageParser<TRequest> parser)
        : GrpcMethodBinding
        where THandler : class where TRequest : class, IMessage<TRequest> where TResponse : class, IMessage<TResponse>
    {
        public override async Task InvokeAsync(GrpcCall call)
        {
            var request = await call.ReadSingleRequestAsync(parser).ConfigureAwait(false);
            var handler = call.Http.RequestServices.GetRequiredService<THandler>();
            await invoke(handler, request, new StreamWriter(call), call.Context).ConfigureAwait(false);
        }

        private sealed class StreamWriter(GrpcCall call) : IServerStreamWriter<TResponse>
        {
            public Task WriteAsync(TResponse message) => call.WriteResponseAsync(message, flush: true);
        }
    }
}
