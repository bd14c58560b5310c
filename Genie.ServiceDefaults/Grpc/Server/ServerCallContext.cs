using Genie.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http;

namespace Genie.ServiceDefaults.Grpc.Server;

/// <summary>What a handler knows about the call it serves.</summary>
public sealed class ServerCallContext
{
    private CallerIdentity? _caller;

    internal ServerCallContext(HttpContext http, string method, DateTimeOffset? deadline, Metadata requestHeaders, CancellationToken cancellationToken)
    {
        HttpContext = http;
        Method = method;
        Deadline = deadline;
        RequestHeaders = requestHeaders;
        CancellationToken = cancellationToken;
    }

    /// <summary>The full method path, e.g. <c>/genie.retrieval.v1.RetrievalService/Search</c>.</summary>
    public string Method { get; }

    /// <summary>When the caller stops waiting; null when it sent no <c>grpc-timeout</c>.</summary>
    public DateTimeOffset? Deadline { get; }

    /// <summary>Cancelled when the client cancels, the connection drops, or the deadline passes.</summary>
    public CancellationToken CancellationToken { get; }

    public Metadata RequestHeaders { get; }

    /// <summary>Metadata sent with the status at the end of the call.</summary>
    public Metadata ResponseTrailers { get; } = new();

    public HttpContext HttpContext { get; }

    public IServiceProvider Services => HttpContext.RequestServices;

    /// <summary>The authenticated caller. Throws UNAUTHENTICATED on an anonymous method.</summary>
    public CallerIdentity Caller =>
        _caller ?? throw new RpcException(StatusCode.Unauthenticated, "This call carries no authenticated caller.");

    public bool IsAuthenticated => _caller is not null;

    internal void SetCaller(CallerIdentity caller) => _caller = caller;

    /// <summary>PERMISSION_DENIED unless the caller has one of <paramref name="roles"/>.</summary>
    public CallerIdentity RequireRole(params string[] roles)
    {
        var caller = Caller;
        if (!caller.IsInRole(roles))
            throw RpcException.PermissionDenied($"This call requires the role {string.Join(" or ", roles)}; you are {caller.Role}.");
        return caller;
    }
}
