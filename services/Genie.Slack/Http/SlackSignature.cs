using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Genie.Slack.Http;

/// <summary>
/// Slack's request signing: <c>v0=</c> + hex HMAC-SHA256 of <c>v0:{timestamp}:{raw body}</c> keyed with the
/// signing secret, compared in constant time; timestamps more than five minutes away are refused (replays).
/// </summary>
public static class SlackSignature
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    public static string Compute(string signingSecret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"v0:{timestamp}:");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), message));
    }

    /// <returns>Null when the request is genuine and fresh, else why not (for the log; never the secret).</returns>
    public static string? Verify(string signingSecret, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
            return "the request is not signed";
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return "the timestamp is not a number";
        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Window)
            return "the timestamp is more than five minutes away";
        var expected = Encoding.ASCII.GetBytes(Compute(signingSecret, timestamp, body));
        var given = Encoding.ASCII.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, given) ? null : "the signature does not match";
    }
}
