using System.Globalization;
using System.Net.Http.Headers;

namespace Genie.LmsBridge.TalentLms;

/// <summary>
/// Reads TalentLMS's rate-limit signals. v2 documents X-RateLimit-Limit/-Remaining/-Reset headers;
/// for v1 they are not guaranteed, so callers fall back to Retry-After and then to <c>GET /ratelimit</c>.
/// X-RateLimit-Reset is read as Unix seconds, or as seconds-from-now when it is small.
/// </summary>
public static class RateLimitGate
{
    public static int? Remaining(HttpResponseHeaders headers) =>
        First(headers, "X-RateLimit-Remaining") is { } text && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : null;

    public static DateTimeOffset? ResetAt(HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (First(headers, "X-RateLimit-Reset") is { } reset &&
            double.TryParse(reset, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            // A Unix time is a 10-digit number; anything under a day reads as a relative delay.
            return value > 86_400 ? DateTimeOffset.FromUnixTimeMilliseconds((long)(value * 1000)) : now.AddSeconds(value);
        }
        if (headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
                return now + delta;
            if (retryAfter.Date is { } date)
                return date;
        }
        return null;
    }

    private static string? First(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault()?.Trim() : null;
}
