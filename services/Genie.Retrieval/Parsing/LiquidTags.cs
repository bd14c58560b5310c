using System.Text.RegularExpressions;

namespace Genie.Retrieval.Parsing;

/// <summary>
/// Resolves or removes Liquid/Jekyll template tags (the 18F handbook is full of them) so only
/// readable text is indexed: links become their target path, Slack channels become <c>#channel</c>,
/// images become their alt text, comments disappear with their content, anything else is dropped.
/// </summary>
public static partial class LiquidTags
{
    public static string Strip(string text)
    {
        if (!text.Contains("{%") && !text.Contains("{{"))
            return text;
        // {% raw %} shows template syntax literally: protect it from the passes below.
        var raw = new List<string>();
        text = RawBlock().Replace(text, m =>
        {
            raw.Add(m.Groups["body"].Value);
            return $"\u0000raw{raw.Count - 1}\u0000";
        });
        text = CommentBlock().Replace(text, "");
        text = Tag().Replace(text, Resolve);
        text = Expression().Replace(text, "");
        return raw.Count == 0 ? text : RawPlaceholder().Replace(text, m => raw[int.Parse(m.Groups["i"].Value)]);
    }

    private static string Resolve(Match match)
    {
        var name = match.Groups["name"].Value;
        var args = Arguments().Matches(match.Groups["args"].Value).Select(a => a.Groups["v"].Value).ToList();
        return name switch
        {
            "page" or "link" or "download" when args.Count > 0 => args[0],
            "slack_channel" when args.Count > 0 => "#" + args[0].TrimStart('#'),
            "image" or "image_with_class" when args.Count > 1 => args[^1],
            "alert" when args.Count > 0 => "**" + args[0] + "**",
            _ => "",
        };
    }

    [GeneratedRegex(@"\{%-?\s*raw\s*-?%\}(?<body>.*?)\{%-?\s*endraw\s*-?%\}", RegexOptions.Singleline)]
    private static partial Regex RawBlock();

    [GeneratedRegex(@"\u0000raw(?<i>\d+)\u0000")]
    private static partial Regex RawPlaceholder();

    [GeneratedRegex(@"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}", RegexOptions.Singleline)]
    private static partial Regex CommentBlock();

    [GeneratedRegex(@"\{%-?\s*(?<name>[A-Za-z_]+)(?<args>.*?)-?%\}", RegexOptions.Singleline)]
    private static partial Regex Tag();

    [GeneratedRegex(@"""(?<v>[^""]*)""|'(?<v>[^']*)'")]
    private static partial Regex Arguments();

    [GeneratedRegex(@"\{\{.*?\}\}", RegexOptions.Singleline)]
    private static partial Regex Expression();
}
