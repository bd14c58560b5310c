using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Google.Protobuf;
using Microsoft.Extensions.Configuration;
using Polly;
using Polly.Retry;

namespace Genie.ServiceDefaults.Grpc.Client;

/// <summary>
/// gRPC over HTTP/2 with prior knowledge (h2c) to one or more endpoints of a service, chosen
/// round-robin per call. Thread-safe; share one per service.
/// </summary>
public sealed class GrpcChannel : IDisposable
{
    private static readonly ProductInfoHeaderValue UserAgent = new("grpc-dotnet-genie", "1.0");
    private readonly Uri[] _endpoints;
    private readonly HttpClient _http;
    private readonly GrpcChannelOptions _options;
    private readonly ResiliencePipeline _retry;
    private int _next = -1;

    public GrpcChannel(IEnumerable<Uri> endpoints, GrpcChannelOptions? options = null)
    {
        _endpoints = endpoints.ToArray();
        if (_endpoints.Length == 0)
            throw new ArgumentException("A channel needs at least one endpoint.", nameof(endpoints));
        _options = options ?? new GrpcChannelOptions();
        _http = new HttpClient(_options.Handler ?? CreateHandler(), disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        _retry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<RpcException>(e => e.Status == StatusCode.Unavailable),
                MaxRetryAttempts = Math.Max(0, _options.MaxAttempts - 1),
                Delay = TimeSpan.FromMilliseconds(50),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .Build();
    }

    public IReadOnlyList<Uri> Endpoints => _endpoints;

    public static GrpcChannel ForAddress(string address, GrpcChannelOptions? options = null) =>
        new([new Uri(address)], options);

    /// <summary>Endpoints from Aspire-style <c>services__{name}__grpc__{N}</c> configuration.</summary>
    public static GrpcChannel FromConfiguration(IConfiguration configuration, string serviceName, GrpcChannelOptions? options = null)
    {
        var endpoints = configuration.GetSection($"services:{serviceName}:grpc").GetChildren()
            .OrderBy(c => int.TryParse(c.Key, out var i) ? i : int.MaxValue)
            .Select(c => c.Value)
            .Where(v => !string.IsNullOrWhiteSpace(v))
            .Select(v => new Uri(v!))
            .ToArray();
        if (endpoints.Length == 0)
            throw new InvalidOperationException(
                $"No gRPC endpoint is configured for '{serviceName}': set services__{serviceName}__grpc__0 (the AppHost does this).");
        return new GrpcChannel(endpoints, options);
    }

    /// <summary>A unary call. Idempotent calls are retried on UNAVAILABLE (next endpoint) within the deadline.</summary>
    public async Task<TResponse> UnaryAsync<TRequest, TResponse>(
        string path, TRequest request, CallOptions? options = null, bool idempotent = false)
        where TRequest : IMessage where TResponse : class, IMessage<TResponse>
    {
        options ??= CallOptions.Default;
        var frame = GrpcFraming.ToFrame(request);
        using var call = new CallScope(options);
        try
        {
            if (!idempotent)
                return await UnaryOnceAsync<TResponse>(path, frame, options, call.Token).ConfigureAwait(false);
            return await _retry.ExecuteAsync(
                async ct => await UnaryOnceAsync<TResponse>(path, frame, options, ct).ConfigureAwait(false),
                call.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw call.Translate(ex);
        }
    }

    /// <summary>A server-streaming call; the enumeration ends when the server ends the stream with OK.</summary>
    public async IAsyncEnumerable<TResponse> ServerStreamingAsync<TRequest, TResponse>(
        string path, TRequest request, CallOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where TRequest : IMessage where TResponse : class, IMessage<TResponse>
    {
        options ??= CallOptions.Default;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken, cancellationToken);
        options = options with { CancellationToken = linked.Token };
        using var call = new CallScope(options);
        var frame = GrpcFraming.ToFrame(request);
        HttpResponseMessage response;
        try
        {
            response = await SendAsync(path, frame, options, call.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw call.Translate(ex);
        }
        using (response)
        {
            var reader = await OpenBodyAsync(response, call.Token).ConfigureAwait(false);
            if (reader is null)
                yield break;
            var parser = ParserCache<TResponse>.Parser;
            var encoding = ResponseEncoding(response);
            while (true)
            {
                TResponse? message;
                try
                {
                    message = await GrpcFraming.ReadMessageAsync(reader, parser, _options.MaxReceiveMessageSize, encoding, call.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not RpcException)
                {
                    throw call.Translate(ex);
                }
                if (message is null)
                    break;
                yield return message;
            }
            ThrowIfNotOk(response.TrailingHeaders, response);
        }
    }

    private async Task<TResponse> UnaryOnceAsync<TResponse>(string path, byte[] frame, CallOptions options, CancellationToken ct)
        where TResponse : class, IMessage<TResponse>
    {
        using var response = await SendAsync(path, frame, options, ct).ConfigureAwait(false);
        var reader = await OpenBodyAsync(response, ct).ConfigureAwait(false)
            ?? throw new RpcException(StatusCode.Internal, "The server ended a unary call with OK but no response message.");
        var parser = ParserCache<TResponse>.Parser;
        var encoding = ResponseEncoding(response);
        var message = await GrpcFraming.ReadMessageAsync(reader, parser, _options.MaxReceiveMessageSize, encoding, ct).ConfigureAwait(false);
        if (message is null)
        {
            ThrowIfNotOk(response.TrailingHeaders, response);
            throw new RpcException(StatusCode.Internal, "The server ended a unary call with OK but no response message.");
        }
        if (await GrpcFraming.ReadMessageAsync(reader, parser, _options.MaxReceiveMessageSize, encoding, ct).ConfigureAwait(false) is not null)
            throw new RpcException(StatusCode.Internal, "The server sent more than one message for a unary call.");
        ThrowIfNotOk(response.TrailingHeaders, response);
        return message;
    }

    private async Task<HttpResponseMessage> SendAsync(string path, byte[] frame, CallOptions options, CancellationToken ct)
    {
        var endpoint = _endpoints.Length == 1 ? _endpoints[0] : _endpoints[(int)((uint)Interlocked.Increment(ref _next) % (uint)_endpoints.Length)];
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new GrpcMessageContent(frame),
        };
        var headers = request.Headers;
        headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        headers.UserAgent.Add(UserAgent);
        headers.TryAddWithoutValidation("grpc-accept-encoding", "identity,gzip,deflate");
        if (options.Deadline is { } deadline)
        {
            var remaining = deadline - DateTimeOffset.UtcNow;
            if (remaining <= TimeSpan.Zero)
                throw new RpcException(StatusCode.DeadlineExceeded, "Deadline exceeded before the call started.");
            headers.TryAddWithoutValidation("grpc-timeout", GrpcTimeout.Format(remaining));
        }
        var token = options.BearerToken ?? _options.DefaultBearerToken?.Invoke();
        if (!string.IsNullOrEmpty(token))
            headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (options.Headers is not null)
        {
            foreach (var entry in options.Headers)
                headers.TryAddWithoutValidation(entry.Key, entry.IsBinary ? Metadata.EncodeBinary(entry.Bytes ?? []) : entry.Value);
        }
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new RpcException(StatusCode.Unavailable, $"Error connecting to {endpoint.Authority}: {ex.Message}", inner: ex);
        }
    }

    /// <summary>Validates the response headers; null when the call already ended (Trailers-Only OK).</summary>
    private static async Task<PipeReader?> OpenBodyAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new RpcException(MapHttpStatus(response.StatusCode),
                $"Bad gRPC response. HTTP status code: {(int)response.StatusCode}");
        }
        if (response.Headers.Contains("grpc-status"))
        {
            // Trailers-Only: the whole status is in the headers.
            ThrowIfNotOk(response.Headers, response);
            return null;
        }
        var contentType = response.Content.Headers.ContentType?.MediaType;
        if (contentType is null || !contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase))
            throw new RpcException(StatusCode.Unknown, $"Bad gRPC response. Invalid content-type value: {contentType ?? "(none)"}");
        var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        return PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024));
    }

    private static void ThrowIfNotOk(HttpHeaders statusHeaders, HttpResponseMessage response)
    {
        var statusText = First(statusHeaders, "grpc-status");
        if (statusText is null)
            throw new RpcException(StatusCode.Unknown, "No grpc-status found on response.");
        var status = int.TryParse(statusText, out var code) && Enum.IsDefined(typeof(StatusCode), code) ? (StatusCode)code : StatusCode.Unknown;
        if (status == StatusCode.OK)
            return;
        var trailers = new Metadata();
        foreach (var (key, values) in statusHeaders)
        {
            var name = key.ToLowerInvariant();
            if (Metadata.IsReserved(name))
                continue;
            foreach (var value in values)
                trailers.AddWire(name, value);
        }
        throw new RpcException(status, StatusMessageEncoding.Decode(First(statusHeaders, "grpc-message")), trailers);
    }

    private static string? First(HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static string? ResponseEncoding(HttpResponseMessage response) => First(response.Headers, "grpc-encoding");

    private static StatusCode MapHttpStatus(HttpStatusCode status) => (int)status switch
    {
        400 => StatusCode.Internal,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.Unimplemented,
        429 or 502 or 503 or 504 => StatusCode.Unavailable,
        431 => StatusCode.Internal,
        _ => StatusCode.Unknown,
    };

    private static SocketsHttpHandler CreateHandler() => new()
    {
        EnableMultipleHttp2Connections = true,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        KeepAlivePingDelay = TimeSpan.FromSeconds(60),
        KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        AutomaticDecompression = DecompressionMethods.None,
        UseProxy = false,
    };

    public void Dispose() => _http.Dispose();

    /// <summary>The deadline and cancellation of one call, and how their firing reads as a status.</summary>
    private sealed class CallScope : IDisposable
    {
        private readonly CancellationTokenSource _source;
        private readonly CallOptions _options;

        public CallScope(CallOptions options)
        {
            _options = options;
            _source = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken);
            if (options.Deadline is { } deadline)
            {
                var remaining = deadline - DateTimeOffset.UtcNow;
                _source.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
            }
        }

        public CancellationToken Token => _source.Token;

        public RpcException Translate(Exception ex)
        {
            if (_options.CancellationToken.IsCancellationRequested)
                return new RpcException(StatusCode.Cancelled, "Call cancelled by the caller.", inner: ex);
            if (_source.IsCancellationRequested)
                return new RpcException(StatusCode.DeadlineExceeded, "Deadline exceeded.", inner: ex);
            return ex switch
            {
                HttpRequestException or HttpIOException or IOException =>
                    new RpcException(StatusCode.Unavailable, $"The connection failed: {ex.Message}", inner: ex),
                _ => new RpcException(StatusCode.Internal, $"Call failed: {ex.Message}", inner: ex),
            };
        }

        public void Dispose() => _source.Dispose();
    }
}

internal static class ParserCache<T> where T : class, IMessage<T>
{
    public static readonly MessageParser<T> Parser =
        (MessageParser<T>)(typeof(T).GetProperty("Parser")?.GetValue(null)
            ?? throw new InvalidOperationException($"{typeof(T).Name} has no static Parser."));
}
