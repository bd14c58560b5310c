using System.Net;
using System.Text.RegularExpressions;

namespace Genie.Web.Chat;

/// <summary>
/// Text from documents made fit to show as plain text (it is HTML-encoded when rendered): titles
/// arrive HTML-escaped from some sources ("Logging in &amp;amp; Networks"), snippets carry Markdown marks.
/// </summary>
public static partial class DisplayText
{
    /// <summary>"Logging in &amp;amp; Networks" → "Logging in &amp; Networks" (decoded once; encoded again on the page).</summary>
    public static string Decoded(string text) => WebUtility.HtmlDecode(text ?? "");

    /// <summary>A snippet without Markdown marks: link text without its target, no emphasis, code or heading marks.</summary>
    public static string WithoutMarkdown(string text)
    {
        var plain = Image().Replace(text ?? "", "$1");
        plain = Link().Replace(plain, "$1");
        plain = Marks().Replace(plain, "");
        return HeadingOrQuote().Replace(plain, "");
    }

    [GeneratedRegex(@"!\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex Image();

    [GeneratedRegex(@"\[([^\]]+)\]\([^)]*\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|`+|~~")]
    private static partial Regex Marks();

    [GeneratedRegex(@"(?m)^[ \t]*(?:#{1,6}|>)[ \t]+")]
    private static partial Regex HeadingOrQuote();
}
