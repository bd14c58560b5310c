using Genie.ServiceDefaults.Grpc.Client;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Genie.ServiceDefaults.Clients;

/// <summary>The base of the typed clients: names a proto service and calls its rpcs over a channel.</summary>
public abstract class GrpcClientBase(GrpcChannel channel, ServiceDescriptor service)
{
    private readonly string _prefix = "/" + service.FullName + "/";

    public GrpcChannel Channel { get; } = channel;

    protected Task<TResponse> UnaryAsync<TRequest, TResponse>(string method, TRequest request, CallOptions? options, bool idempotent = false)
        where TRequest : IMessage where TResponse : class, IMessage<TResponse> =>
        Channel.UnaryAsync<TRequest, TResponse>(_prefix + method, request, options, idempotent);

    protected IAsyncEnumerable<TResponse> ServerStreamingAsync<TRequest, TResponse>(string method, TRequest request, CallOptions? options)
        where TRequest : IMessage where TResponse : class, IMessage<TResponse> =>
        Channel.ServerStreamingAsync<TRequest, TResponse>(_prefix + method, request, options);
}
