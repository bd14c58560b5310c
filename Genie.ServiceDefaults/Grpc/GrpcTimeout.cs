using System.Globalization;

namespace Genie.ServiceDefaults.Grpc;

/// <summary>The <c>grpc-timeout</c> header: at most 8 digits and a unit (H, M, S, m, u, n).</summary>
public static class GrpcTimeout
{
    private const long MaxValue = 99_999_999;

    public static bool TryParse(string? header, out TimeSpan timeout)
    {
        timeout = default;
        if (string.IsNullOrEmpty(header) || header.Length < 2 || header.Length > 9)
            return false;
        if (!long.TryParse(header.AsSpan(0, header.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            return false;
        long? ticks = header[^1] switch
        {
            'H' => value * TimeSpan.TicksPerHour,
            'M' => value * TimeSpan.TicksPerMinute,
            'S' => value * TimeSpan.TicksPerSecond,
            'm' => value * TimeSpan.TicksPerMillisecond,
            'u' => value * 10,
            'n' => value / 100,
            _ => null,
        };
        if (ticks is null)
            return false;
        timeout = TimeSpan.FromTicks(Math.Max(ticks.Value, 0));
        return true;
    }

    /// <summary>The shortest exact-or-rounded-up encoding that fits in 8 digits.</summary>
    public static string Format(TimeSpan timeout)
    {
        var micros = Math.Max(1, (long)Math.Ceiling(timeout.Ticks / 10.0));
        if (micros <= MaxValue) return micros + "u";
        var millis = (micros + 999) / 1000;
        if (millis <= MaxValue) return millis + "m";
        var seconds = (millis + 999) / 1000;
        if (seconds <= MaxValue) return seconds + "S";
        var minutes = (seconds + 59) / 60;
        if (minutes <= MaxValue) return minutes + "M";
        return Math.Min((minutes + 59) / 60, MaxValue) + "H";
    }
}
