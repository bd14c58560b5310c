using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Genie.Web.Backends;

/// <summary>
/// Server-Sent Events written by hand onto a POST response: the browser reads them with fetch (so the
/// anti-forgery token travels with the request and an abort cancels the call behind it).
/// </summary>
public static class ServerSentEvents
{
    public const string ContentType = "text/event-stream";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Whether the caller asked for a stream (the page's script does; a plain form post does not).</summary>
    public static bool Requested(HttpRequest request) =>
        request.Headers.Accept.Any(a => a?.Contains(ContentType, StringComparison.OrdinalIgnoreCase) == true);

    public static async Task StartAsync(HttpResponse response)
    {
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync();
    }

    public static async Task WriteAsync(HttpResponse response, string eventName, object data, CancellationToken ct)
    {
        await response.WriteAsync($"event: {eventName}\ndata: {JsonSerializer.Serialize(data, Json)}\n\n", ct);
        await response.Body.FlushAsync(ct);
    }
}
