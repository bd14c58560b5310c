using System.Text.RegularExpressions;
using Genie.ServiceDefaults.Rpc;

namespace Genie.Slack.Settings;

/// <summary>What the admin page may save: well-formed secrets and channel settings, refused with the field named.</summary>
public static partial class SlackSettingsRules
{
    public const int MaxKnowledgeBases = 50; // Agent's limit for ChatRequest.knowledge_base_ids

    /// <summary>A token or secret to save: null for "clear"; throws INVALID_ARGUMENT when it cannot be one.</summary>
    public static string? Secret(string field, string value, string? prefix, int minLength)
    {
        if (value.Length == 0)
            return null;
        if (value.Any(char.IsWhiteSpace))
            throw RpcErrors.InvalidArgument(field, "must not contain spaces or line breaks");
        if (value.Length < minLength || value.Length > 255)
            throw RpcErrors.InvalidArgument(field, $"must be {minLength} to 255 characters long");
        if (prefix is not null && !value.StartsWith(prefix, StringComparison.Ordinal))
            throw RpcErrors.InvalidArgument(field, $"must start with \"{prefix}\" (copy it from your Slack app's settings)");
        if (!SecretCharacters().IsMatch(value))
            throw RpcErrors.InvalidArgument(field, "may contain only letters, digits and '-'");
        return value;
    }

    public static string ChannelId(string field, string value)
    {
        if (!ChannelPattern().IsMatch(value))
            throw RpcErrors.InvalidArgument(field, "must be a Slack channel id such as C0123ABCD (public) or G0123ABCD (private)");
        return value;
    }

    public static IReadOnlyList<string> KnowledgeBaseIds(IReadOnlyList<string> ids)
    {
        if (ids.Count > MaxKnowledgeBases)
            throw RpcErrors.InvalidArgument("knowledge_base_ids", $"at most {MaxKnowledgeBases}");
        for (var i = 0; i < ids.Count; i++)
        {
            if (!Guid.TryParse(ids[i], out _))
                throw RpcErrors.InvalidArgument($"knowledge_base_ids[{i}]", "is not a knowledge base id");
        }
        return ids.Select(id => Guid.Parse(id).ToString()).Distinct().ToList();
    }

    public static string ChannelName(string value)
    {
        var name = value.Trim().TrimStart('#');
        if (name.Length > 80 || name.Any(char.IsControl))
            throw RpcErrors.InvalidArgument("channel_name", "must be at most 80 characters, without control characters");
        return name;
    }

    /// <summary>At most the last four characters, for "set …abcd"; nothing of a short secret.</summary>
    public static string Last4(string? secret) => secret is { Length: >= 12 } ? secret[^4..] : "";

    [GeneratedRegex("^[A-Za-z0-9-]+$")]
    private static partial Regex SecretCharacters();

    [GeneratedRegex("^[CG][A-Z0-9]{2,20}$")]
    private static partial Regex ChannelPattern();
}
