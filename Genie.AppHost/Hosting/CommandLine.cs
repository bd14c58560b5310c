namespace Genie.AppHost.Hosting;

/// <summary>
/// The AppHost's command line: <c>--replicas agent=2[,web=2]</c> (repeatable) and any configuration
/// key as <c>--Section:Key=value</c> or <c>--Section:Key value</c>.
/// </summary>
internal static class CommandLine
{
    public const string ReplicasSection = "Genie:Replicas";

    public static Dictionary<string, string?> Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
                throw new AppHostException($"Unexpected argument '{arg}'. Usage: run.sh [--replicas agent=2] [--Section:Key=value]");

            var (key, value) = SplitOption(arg[2..], args, ref i);
            if (string.Equals(key, "replicas", StringComparison.OrdinalIgnoreCase))
                foreach (var (service, count) in ParseReplicas(value))
                    values[$"{ReplicasSection}:{service}"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            else
                values[key] = value;
        }
        return values;
    }

    private static (string Key, string Value) SplitOption(string option, IReadOnlyList<string> args, ref int i)
    {
        var equals = option.IndexOf('=');
        if (equals > 0)
            return (option[..equals], option[(equals + 1)..]);
        if (i + 1 >= args.Count)
            throw new AppHostException($"--{option} needs a value.");
        return (option, args[++i]);
    }

    private static IEnumerable<(string Service, int Count)> ParseReplicas(string value)
    {
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pieces.Length != 2 || pieces[0].Length == 0 || !int.TryParse(pieces[1], out var count) || count is < 1 or > 16)
                throw new AppHostException($"--replicas expects service=count with a count from 1 to 16 (e.g. --replicas agent=2), got '{part}'.");
            yield return (pieces[0], count);
        }
    }
}
