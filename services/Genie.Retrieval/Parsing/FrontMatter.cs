using System.Text.RegularExpressions;

namespace Genie.Retrieval.Parsing;

/// <summary>Jekyll-style YAML front matter: removed from the body, its <c>title</c> kept.</summary>
public static partial class FrontMatter
{
    public static (string Body, string? Title) Strip(string markdown)
    {
        var match = FrontMatterPattern().Match(markdown);
        if (!match.Success)
            return (markdown, null);
        var title = TitlePattern().Match(match.Groups["yaml"].Value) is { Success: true } t
            ? Unquote(t.Groups["title"].Value.Trim())
            : null;
        return (markdown[match.Length..], string.IsNullOrWhiteSpace(title) ? null : title);
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' && value[^1] == '"' || value[0] == '\'' && value[^1] == '\'')
            ? value[1..^1]
            : value;

    [GeneratedRegex(@"\A\uFEFF?---[ \t]*\r?\n(?<yaml>.*?)(\r?\n)?(---|\.\.\.)[ \t]*(\r?\n|\z)", RegexOptions.Singleline)]
    private static partial Regex FrontMatterPattern();

    [GeneratedRegex(@"^title:[ \t]*(?<title>.+)$", RegexOptions.Multiline)]
    private static partial Regex TitlePattern();
}
