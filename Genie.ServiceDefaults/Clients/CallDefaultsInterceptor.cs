using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Http;

namespace Genie.ServiceDefaults.Clients;

/// <summary>
/// What every outgoing call gets unless it says otherwise: a deadline (the client's default), and
/// the bearer token of the request being served, so a service calls another as its own caller.
/// </summary>
public sealed class CallDefaultsInterceptor(TimeSpan defaultDeadline, IHttpContextAccessor? ambient) : Interceptor
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithDefaults(context));

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithDefaults(context));

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(WithDefaults(context));

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(WithDefaults(context));

    private ClientInterceptorContext<TRequest, TResponse> WithDefaults<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class where TResponse : class
    {
        var options = context.Options;
        if (options.Deadline is null)
            options = options.WithDeadline(DateTime.UtcNow + defaultDeadline);
        if (options.Headers?.Get(BearerToken.Header) is null && ambient?.HttpContext?.Request.Headers.Authorization.ToString() is { Length: > 0 } forwarded
            && forwarded.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var headers = options.Headers ?? new Metadata();
            headers.Add(BearerToken.Header, forwarded);
            options = options.WithHeaders(headers);
        }
        return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, options);
    }
}
