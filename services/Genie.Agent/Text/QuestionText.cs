using System.Net;
using System.Text.RegularExpressions;

namespace Genie.Agent.Text;

/// <summary>
/// The words of a question as a person meant them, before it is searched: pasted HTML loses its tags
/// (and the contents of script and style), entities are decoded, Markdown keeps link text but not the
/// link, emphasis and code marks go, and whitespace collapses. "&lt;div class=hero&gt;…What is Tock?"
/// is searched as "…What is Tock?", so the tag names do not drown the question's own terms.
/// </summary>
public static partial class QuestionText
{
    public static string Normalise(string question)
    {
        var text = ScriptOrStyle().Replace(question, " ");
        text = HtmlComment().Replace(text, " ");
        text = Tag().Replace(text, " ");
        text = WebUtility.HtmlDecode(text);
        text = MarkdownImage().Replace(text, "$1");
        text = MarkdownLink().Replace(text, "$1");
        text = MarkdownMarks().Replace(text, "");
        return Whitespace().Replace(text, " ").Trim();
    }

    [GeneratedRegex(@"<(script|style)\b[^>]*>.*?</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ScriptOrStyle();

    [GeneratedRegex(@"<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex HtmlComment();

    /// <summary>An opening, closing or self-closing tag: '&lt;' then a letter or '/', so "a &lt; b" stays.</summary>
    [GeneratedRegex(@"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"!\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex MarkdownImage();

    [GeneratedRegex(@"\[([^\]]+)\]\([^)]*\)")]
    private static partial Regex MarkdownLink();

    /// <summary>Emphasis, code spans and fences, and heading or quote marks at a line start.</summary>
    [GeneratedRegex(@"\*\*|__|`+|~~|(?m)^\s*(?:#{1,6}|>)\s")]
    private static partial Regex MarkdownMarks();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
