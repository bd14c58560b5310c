using System.Globalization;

namespace Genie.Transport.Bench;

/// <summary>Command line: [--warmup s] [--duration s] [--callers 1,16,64] [--text hello] [--method Echo|Public] [--stream-count 10]
/// (Public: anonymous, no token validation; each server-streaming call reads stream-count replies).</summary>
public sealed record BenchSettings(TimeSpan Warmup, TimeSpan Duration, int[] Callers, string Text, string Method, int StreamCount)
{
    public static BenchSettings Parse(string[] args)
    {
        var settings = new BenchSettings(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), [1, 16, 64], "hello", "Echo", 10);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            settings = args[i] switch
            {
                "--warmup" => settings with { Warmup = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--duration" => settings with { Duration = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--callers" => settings with { Callers = value.Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray() },
                "--stream-count" => settings with { StreamCount = int.Parse(value, CultureInfo.InvariantCulture) },
                "--text" => settings with { Text = value },
                "--method" => settings with { Method = value is "Echo" or "Public" ? value : throw new ArgumentException("--method is Echo or Public.") },
                _ => throw new ArgumentException($"Unknown option {args[i]}; use --warmup, --duration, --callers, --text, --method, --stream-count."),
            };
        }
        return settings;
    }
}
