using System.Globalization;
using System.Text.Json;

namespace Genie.LmsBridge.TalentLms;

/// <summary>
/// Readers for TalentLMS's loose JSON: nearly every scalar is a string ("7", "100", "0"), some are
/// numbers, empty dates are "" with a null timestamp. Required fields that are missing or unparsable
/// throw <see cref="TalentLmsFormatException"/> naming the field.
/// </summary>
internal readonly struct TalentLmsJson(JsonElement element, string path)
{
    public JsonElement Element => element;

    public string Path => path;

    public static TalentLmsJson Object(JsonElement element, string path, string what)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new TalentLmsFormatException(path, $"{what} is {element.ValueKind}, expected an object");
        return new TalentLmsJson(element, path);
    }

    public static IEnumerable<TalentLmsJson> Array(JsonElement element, string path, string what)
    {
        if (element.ValueKind != JsonValueKind.Array)
            throw new TalentLmsFormatException(path, $"{what} is {element.ValueKind}, expected an array");
        var index = 0;
        foreach (var item in element.EnumerateArray())
            yield return Object(item, path, $"{what}[{index++}]");
    }

    public IEnumerable<TalentLmsJson> ArrayOrEmpty(string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? Array(value, path, name)
            : [];

    public string Id(string name = "id")
    {
        var value = Text(name);
        if (value.Length == 0 || !value.All(char.IsAsciiDigit))
            throw new TalentLmsFormatException(path, $"'{name}' is missing or not an id (\"{value}\")");
        return value;
    }

    public string RequiredText(string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            throw new TalentLmsFormatException(path, $"'{name}' is missing");
        return Text(name);
    }

    public string Text(string name) =>
        element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString() ?? "",
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "1",
                JsonValueKind.False => "0",
                JsonValueKind.Null or JsonValueKind.Undefined => "",
                _ => throw new TalentLmsFormatException(path, $"'{name}' is {value.ValueKind}, expected a scalar"),
            }
            : "";

    public int Int(string name)
    {
        var text = Text(name).Trim().TrimEnd('%');
        if (text.Length == 0)
            return 0;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            return (int)Math.Round(number, MidpointRounding.AwayFromZero);
        throw new TalentLmsFormatException(path, $"'{name}' is not a number (\"{text}\")");
    }

    public long Long(string name)
    {
        var text = Text(name).Trim();
        if (text.Length == 0)
            return 0;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            return (long)number;
        throw new TalentLmsFormatException(path, $"'{name}' is not a number (\"{text}\")");
    }

    /// <summary>"100.00%", "87.5", 87 → percent as a double.</summary>
    public double Percent(string name)
    {
        var text = Text(name).Trim().TrimEnd('%').Trim();
        if (text.Length == 0)
            return 0;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            return number;
        throw new TalentLmsFormatException(path, $"'{name}' is not a score (\"{text}\")");
    }

    /// <summary>The Unix time in <c>{name}_timestamp</c>, else the formatted date in <c>{name}</c>.</summary>
    public DateTimeOffset? Time(string name)
    {
        var stamp = Text(name + "_timestamp").Trim();
        if (stamp.Length > 0)
        {
            if (long.TryParse(stamp, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
                return DateTimeOffset.FromUnixTimeSeconds(seconds);
            throw new TalentLmsFormatException(path, $"'{name}_timestamp' is not a Unix time (\"{stamp}\")");
        }
        return FormattedDate(Text(name));
    }

    /// <summary>TalentLMS's display format, "25/12/2019, 03:58:40" (DD/MM/YYYY), read as UTC.</summary>
    public static DateTimeOffset? FormattedDate(string text)
    {
        text = text.Trim();
        if (text.Length == 0)
            return null;
        string[] formats = ["dd/MM/yyyy, HH:mm:ss", "dd/MM/yyyy, HH:mm", "dd/MM/yyyy HH:mm:ss", "dd/MM/yyyy", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd"];
        return DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? new DateTimeOffset(parsed, TimeSpan.Zero)
            : null;
    }

    /// <summary>Answer maps arrive as <c>{"1":"text",...}</c>, arrays, or a bare string.</summary>
    public IReadOnlyList<string> TextList(string name)
    {
        if (!element.TryGetProperty(name, out var value))
            return [];
        return value.ValueKind switch
        {
            JsonValueKind.Object => value.EnumerateObject().Select(p => Scalar(p.Value)).Where(s => s.Length > 0).ToList(),
            JsonValueKind.Array => value.EnumerateArray().Select(Scalar).Where(s => s.Length > 0).ToList(),
            JsonValueKind.String or JsonValueKind.Number => Scalar(value) is { Length: > 0 } s ? [s] : [],
            _ => [],
        };
    }

    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.Null => "",
        _ => value.GetRawText(),
    };
}
