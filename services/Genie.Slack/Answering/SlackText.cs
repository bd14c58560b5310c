using System.Text;
using System.Text.RegularExpressions;

namespace Genie.Slack.Answering;

/// <summary>Text for Slack's mrkdwn: the three control characters escaped, mentions stripped.</summary>
public static partial class SlackText
{
    /// <summary>Slack asks for exactly these three escapes; everything else is shown as written.</summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }

    /// <summary>
    /// The bots' Markdown as mrkdwn: escaped, <c>**bold**</c> → <c>*bold*</c>, <c>[label](url)</c> → a Slack link.
    /// </summary>
    public static string FromMarkdown(string markdown)
    {
        var escaped = Escape(markdown);
        escaped = Bold().Replace(escaped, "*$1*");
        return MarkdownLink().Replace(escaped, m => Link(m.Groups[2].Value.Replace("&amp;", "&"), m.Groups[1].Value.Replace("&amp;", "&").Replace("&lt;", "<").Replace("&gt;", ">")));
    }

    /// <summary>A link whose label cannot break out of the <c>&lt;url|label&gt;</c> syntax.</summary>
    public static string Link(string url, string label) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? $"<{uri.AbsoluteUri.Replace("|", "%7C").Replace(">", "%3E")}|{Escape(label).Replace("|", "¦")}>"
            : Escape(label);

    /// <summary>The question without <c>&lt;@U…&gt;</c> mentions, with Slack's own escapes undone.</summary>
    public static string Question(string text) =>
        Mention().Replace(text, " ").Replace("&lt;", "<").Replace("&gt;", ">").Replace("&amp;", "&").Trim();

    /// <summary>At most <paramref name="max"/> characters, cut at a word when one is near.</summary>
    public static string Truncate(string text, int max)
    {
        if (text.Length <= max)
            return text;
        var cut = text.LastIndexOf(' ', max - 1, Math.Min(200, max - 1));
        return text[..(cut > 0 ? cut : max - 1)] + "…";
    }

    [GeneratedRegex(@"\*\*(.+?)\*\*")]
    private static partial Regex Bold();

    [GeneratedRegex(@"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"<@[A-Z0-9]+(\|[^>]*)?>")]
    private static partial Regex Mention();
}
