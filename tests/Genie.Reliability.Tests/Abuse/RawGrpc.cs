using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;

namespace Genie.Reliability.Tests.Abuse;

/// <summary>
/// gRPC over plain HTTP/2 with hand-made frames (5-byte prefix: compressed flag, big-endian length), so a test can
/// send what no generated client would: truncated frames, lying length prefixes, bytes that are no message.
/// </summary>
public sealed class RawGrpc : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { EnableMultipleHttp2Connections = true }) { Timeout = TimeSpan.FromMinutes(2) };

    public sealed record Reply(StatusCode Status, string Message, int Messages);

    /// <summary>One gRPC frame holding <paramref name="payload"/> with its true length.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload) => Frame(payload, (uint)payload.Length);

    /// <summary>A frame whose prefix claims <paramref name="claimedLength"/> bytes, whatever follows.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload, uint claimedLength)
    {
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), claimedLength);
        payload.CopyTo(frame.AsSpan(5));
        return frame;
    }

    public async Task<Reply> CallAsync(Uri address, string path, byte[] body, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.TryAddWithoutValidation("grpc-timeout", "60S");
        if (token is not null)
            request.Headers.TryAddWithoutValidation("authorization", "Bearer " + token);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var content = await response.Content.ReadAsByteArrayAsync();
        var messages = 0;
        for (var at = 0; at + 5 <= content.Length; at += 5 + (int)BinaryPrimitives.ReadUInt32BigEndian(content.AsSpan(at + 1)))
            messages++;
        string? Header(string name) =>
            response.TrailingHeaders.TryGetValues(name, out var t) ? t.First()
            : response.Headers.TryGetValues(name, out var h) ? h.First() : null;
        if (Header("grpc-status") is not { } status)
            return new Reply(FromHttp(response.StatusCode), $"HTTP {(int)response.StatusCode}", messages);
        return new Reply((StatusCode)int.Parse(status), Uri.UnescapeDataString(Header("grpc-message") ?? ""), messages);
    }

    /// <summary>
    /// What a gRPC client makes of an HTTP status without grpc-status (grpc/doc/http-grpc-status-mapping.md):
    /// ASP.NET Core's authorization answers a refused call with 401 or 403 before gRPC sees it.
    /// </summary>
    private static StatusCode FromHttp(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => StatusCode.Internal,
        HttpStatusCode.Unauthorized => StatusCode.Unauthenticated,
        HttpStatusCode.Forbidden => StatusCode.PermissionDenied,
        HttpStatusCode.NotFound => StatusCode.Unimplemented,
        HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    public void Dispose() => _http.Dispose();
}
