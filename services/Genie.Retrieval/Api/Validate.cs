using Genie.ServiceDefaults.Rpc;
using Grpc.Core;

namespace Genie.Retrieval.Api;

/// <summary>Edge validation: every problem names the request field it concerns.</summary>
internal static class Validate
{
    public static Guid Id(string field, string value)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw RpcErrors.InvalidArgument(field, "is required");
        if (!Guid.TryParse(value, out var id))
            throw RpcErrors.InvalidArgument(field, $"'{Shorten(value)}' is not a valid id");
        return id;
    }

    public static string Required(string field, string value, int maxLength)
    {
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
            throw RpcErrors.InvalidArgument(field, "must not be empty");
        return MaxLength(field, trimmed, maxLength);
    }

    public static string MaxLength(string field, string value, int maxLength) =>
        value.Length > maxLength ? throw RpcErrors.InvalidArgument(field, $"must be at most {maxLength} characters") : value;

    /// <summary>A list of 1..<paramref name="maxCount"/> non-blank texts of at most <paramref name="maxLength"/> characters each.</summary>
    public static void Texts(string field, IReadOnlyList<string> texts, int maxCount, int maxLength)
    {
        if (texts.Count < 1 || texts.Count > maxCount)
            throw RpcErrors.InvalidArgument(field, $"give between 1 and {maxCount} {field}");
        for (var i = 0; i < texts.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(texts[i]))
                throw RpcErrors.InvalidArgument($"{field}[{i}]", "must not be empty");
            MaxLength($"{field}[{i}]", texts[i], maxLength);
        }
    }

    public static int Range(string field, int value, int min, int max) =>
        value < min || value > max ? throw RpcErrors.InvalidArgument(field, $"must be between {min} and {max}") : value;

    public static RpcException NotFound(string field, string what, string id) =>
        RpcErrors.Of(StatusCode.NotFound, $"{field}: {what} '{Shorten(id)}' was not found");

    private static string Shorten(string value) => value.Length > 60 ? value[..60] + "…" : value;
}
