using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Genie.ServiceDefaults.Rpc;

/// <summary>
/// An exception a handler did not turn into a status becomes INTERNAL with a generic message and the
/// trace id; the details go to the log only. A call the client cancelled stays CANCELLED. A database that
/// cannot be reached (stopped, restarting, connection broken) is UNAVAILABLE in plain words: the caller may retry.
/// </summary>
public sealed class UnhandledExceptionInterceptor(ILogger<UnhandledExceptionInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (IsUnhandled(ex, context))
        {
            throw ToStatus(ex, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception ex) when (IsUnhandled(ex, context))
        {
            throw ToStatus(ex, context);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception ex) when (IsUnhandled(ex, context))
        {
            throw ToStatus(ex, context);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception ex) when (IsUnhandled(ex, context))
        {
            throw ToStatus(ex, context);
        }
    }

    private static bool IsUnhandled(Exception ex, ServerCallContext context) =>
        ex is not RpcException && !(ex is OperationCanceledException && context.CancellationToken.IsCancellationRequested);

    public const string DatabaseUnavailable = "The database is unavailable right now; please try again in a moment.";

    private RpcException ToStatus(Exception ex, ServerCallContext context)
    {
        var traceId = Activity.Current?.TraceId.ToString() ?? context.GetHttpContext().TraceIdentifier;
        if (IsDatabaseUnavailable(ex))
        {
            logger.LogWarning("{Method} failed: the database is unavailable ({Error}; trace {TraceId})", context.Method, ex.Message, traceId);
            return new RpcException(new Status(StatusCode.Unavailable, DatabaseUnavailable));
        }
        logger.LogError(ex, "Unhandled exception in {Method} (trace {TraceId})", context.Method, traceId);
        return new RpcException(new Status(StatusCode.Internal, $"Internal error; quote trace id {traceId} to an administrator."));
    }

    /// <summary>
    /// Refused, broken or timed-out connections (Npgsql calls these transient) and a server shutting down or
    /// starting up: failures that pass when PostgreSQL is back, unlike a bug in a query.
    /// </summary>
    private static bool IsDatabaseUnavailable(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException { IsTransient: true }
                or PostgresException { SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow })
                return true;
        }
        return false;
    }
}
