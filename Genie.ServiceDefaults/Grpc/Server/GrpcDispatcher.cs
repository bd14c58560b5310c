using System.Collections.Frozen;
using System.Diagnostics;
using Genie.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Genie.ServiceDefaults.Grpc.Server;

/// <summary>
/// Serves gRPC calls arriving on the HTTP/2 endpoint: content type, method lookup, deadline,
/// authentication and roles, then the handler; errors become gRPC statuses (Trailers-Only when
/// nothing was sent yet).
/// </summary>
public sealed class GrpcDispatcher
{
    private readonly FrozenDictionary<string, GrpcMethodBinding> _methods;
    private readonly GrpcServerOptions _options;
    private readonly TokenService _tokens;
    private readonly ILogger<GrpcDispatcher> _logger;

    internal GrpcDispatcher(IEnumerable<GrpcMethodBinding> methods, GrpcServerOptions options, TokenService tokens, ILogger<GrpcDispatcher> logger)
    {
        _methods = methods.ToFrozenDictionary(m => m.Path, StringComparer.Ordinal);
        _options = options;
        _tokens = tokens;
        _logger = logger;
    }

    /// <summary>Every rpc path this server answers.</summary>
    public IReadOnlyCollection<string> MethodPaths => _methods.Keys;

    public async Task HandleAsync(HttpContext http)
    {
        var contentType = http.Request.ContentType;
        if (contentType is null || !contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase))
        {
            http.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            http.Response.Headers[HeaderNames.Accept] = "application/grpc";
            return;
        }
        var path = http.Request.Path.Value ?? "";
        var activity = Activity.Current;
        if (activity is not null)
        {
            activity.DisplayName = path.TrimStart('/');
            activity.SetTag("rpc.system", "grpc");
            var slash = path.LastIndexOf('/');
            if (slash > 0)
            {
                activity.SetTag("rpc.service", path[1..slash]);
                activity.SetTag("rpc.method", path[(slash + 1)..]);
            }
        }
        http.Response.ContentType = "application/grpc";
        http.Response.Headers["grpc-accept-encoding"] = "identity,gzip,deflate";

        if (!_methods.TryGetValue(path, out var method))
        {
            WriteStatus(http, StatusCode.Unimplemented, $"Method not found: {path}", null, responseStarted: false);
            return;
        }

        using var deadlineSource = CreateDeadline(http, out var deadline);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, deadlineSource?.Token ?? CancellationToken.None);
        var context = new ServerCallContext(http, path, deadline, ReadMetadata(http), linked.Token);
        var encoding = http.Request.Headers["grpc-encoding"].ToString() is { Length: > 0 } e ? e : null;
        var call = new GrpcCall(http, context, method.MaxReceiveMessageSize ?? _options.MaxReceiveMessageSize, encoding);
        StatusCode status;
        string message;
        try
        {
            await AuthorizeAsync(http, method, context).ConfigureAwait(false);
            await method.InvokeAsync(call).ConfigureAwait(false);
            status = StatusCode.OK;
            message = "";
        }
        catch (RpcException ex)
        {
            (status, message) = (ex.Status, ex.Detail);
            foreach (var entry in ex.Trailers)
                AddMetadataEntry(context.ResponseTrailers, entry);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && linked.IsCancellationRequested)
        {
            (status, message) = deadlineSource?.IsCancellationRequested == true && !http.RequestAborted.IsCancellationRequested
                ? (StatusCode.DeadlineExceeded, "Deadline exceeded")
                : (StatusCode.Cancelled, "Call cancelled by the client");
        }
        catch (Exception ex)
        {
            var traceId = Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;
            _logger.LogError(ex, "Unhandled exception in {Method} (trace {TraceId})", path, traceId);
            (status, message) = (StatusCode.Internal, $"Internal error; quote trace id {traceId} to an administrator.");
        }
        activity?.SetTag("rpc.grpc.status_code", (int)status);
        if (status != StatusCode.OK)
            activity?.SetStatus(ActivityStatusCode.Error, status.ToString());
        if (http.RequestAborted.IsCancellationRequested)
            return;
        WriteStatus(http, status, message, context.ResponseTrailers, call.ResponseStarted);
    }

    private async Task AuthorizeAsync(HttpContext http, GrpcMethodBinding method, ServerCallContext context)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (method.AllowAnonymous && header.Length == 0)
            return;
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
            throw new RpcException(StatusCode.Unauthenticated, "A bearer token is required (authorization: Bearer <token>).");
        var (caller, error) = await _tokens.ValidateAsync(header[7..].Trim()).ConfigureAwait(false);
        if (caller is null)
            throw new RpcException(StatusCode.Unauthenticated, $"Unauthenticated: {error}.");
        context.SetCaller(caller);
        if (method.RequiredRoles is { Count: > 0 } roles && !roles.Contains(caller.Role))
            throw RpcException.PermissionDenied($"This call requires the role {string.Join(" or ", roles)}; you are {caller.Role}.");
    }

    private static CancellationTokenSource? CreateDeadline(HttpContext http, out DateTimeOffset? deadline)
    {
        deadline = null;
        var header = http.Request.Headers["grpc-timeout"].ToString();
        if (header.Length == 0 || !GrpcTimeout.TryParse(header, out var timeout))
            return null;
        deadline = DateTimeOffset.UtcNow + timeout;
        var source = new CancellationTokenSource();
        // CancelAfter takes at most ~49 days; longer deadlines are as good as none.
        if (timeout < TimeSpan.FromDays(40))
            source.CancelAfter(timeout);
        return source;
    }

    private static Metadata ReadMetadata(HttpContext http)
    {
        var metadata = new Metadata();
        foreach (var (key, values) in http.Request.Headers)
        {
            var name = key.ToLowerInvariant();
            if (Metadata.IsReserved(name) || name == "authorization")
                continue;
            foreach (var value in values)
            {
                if (value is not null)
                    metadata.AddWire(name, value);
            }
        }
        return metadata;
    }

    private static void WriteStatus(HttpContext http, StatusCode status, string message, Metadata? trailers, bool responseStarted)
    {
        if (!responseStarted && !http.Response.HasStarted)
        {
            // Trailers-Only: status travels in the one HEADERS frame that ends the stream.
            http.Response.Headers["grpc-status"] = ((int)status).ToString();
            if (message.Length > 0)
                http.Response.Headers["grpc-message"] = StatusMessageEncoding.Encode(message);
            if (trailers is not null)
            {
                foreach (var entry in trailers)
                    http.Response.Headers.Append(entry.Key, WireValue(entry));
            }
            return;
        }
        http.Response.AppendTrailer("grpc-status", ((int)status).ToString());
        if (message.Length > 0)
            http.Response.AppendTrailer("grpc-message", StatusMessageEncoding.Encode(message));
        if (trailers is not null)
        {
            foreach (var entry in trailers)
                http.Response.AppendTrailer(entry.Key, WireValue(entry));
        }
    }

    private static string WireValue(Metadata.Entry entry) =>
        entry.IsBinary ? Metadata.EncodeBinary(entry.Bytes ?? []) : entry.Value ?? "";

    private static void AddMetadataEntry(Metadata target, Metadata.Entry entry)
    {
        if (entry.IsBinary)
            target.Add(entry.Key, entry.Bytes ?? []);
        else
            target.Add(entry.Key, entry.Value ?? "");
    }
}
