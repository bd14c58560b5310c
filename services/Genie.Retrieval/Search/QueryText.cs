using System.Net;
using System.Text.RegularExpressions;

namespace Genie.Retrieval.Search;

/// <summary>
/// What a question is before it is searched: plain words. Questions pasted from pages, chats or LMS
/// forms arrive with HTML tags and entities, Markdown emphasis, links and code marks, which would
/// otherwise become "words" on the full-text side and noise on the vector side.
/// </summary>
public static partial class QueryText
{
    /// <summary>The question without markup; a question with no markup characters is returned as typed (trimmed).</summary>
    public static string Normalize(string text)
    {
        if (text.AsSpan().IndexOfAny(MarkupCharacters) < 0)
            return text.Trim();
        var plain = Comments().Replace(text, " ");
        plain = Tags().Replace(plain, " ");
        plain = WebUtility.HtmlDecode(plain);
        plain = MarkdownLink().Replace(plain, "$1");
        plain = Markup().Replace(plain, " ");
        return SpaceBeforePunctuation().Replace(Spaces().Replace(plain, " "), "$1").Trim();
    }

    private static readonly System.Buffers.SearchValues<char> MarkupCharacters = System.Buffers.SearchValues.Create("<>&[]*_`#|~");

    [GeneratedRegex("<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex Comments();

    [GeneratedRegex(@"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"!?\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex MarkdownLink();

    // Emphasis, code and heading marks; '-' and '.' stay (they belong to words like "e-mail", "cloud.gov").
    [GeneratedRegex(@"[*_`#>|~]+")]
    private static partial Regex Markup();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\s+([?.!,;:])(?=\s|$)")]
    private static partial Regex SpaceBeforePunctuation();
}
