using System.Buffers;
using System.Net;
using System.Text.RegularExpressions;

namespace Genie.ServiceDefaults.Text;

/// <summary>
/// The words of a question as a person meant them, before it is searched (the Agent's query, Retrieval's search):
/// pasted HTML loses its tags (and the contents of script and style), entities are decoded, Markdown keeps link
/// and image text but not the target, emphasis, code, strike-through, table and heading marks go, and whitespace
/// collapses. "&lt;div class=hero&gt;…What is Tock?" is searched as "…What is Tock?", so tag names do not drown the
/// question's own terms. Marks inside words stay: "C#", "F#", ".NET", "snake_case", "cloud.gov", "e-mail".
/// </summary>
public static partial class QuestionText
{
    private static readonly SearchValues<char> MarkupCharacters = SearchValues.Create("<>&[]*_`#|~");

    /// <summary>The question without markup; one with no markup characters is returned as typed (trimmed).</summary>
    public static string Normalise(string question)
    {
        if (question.AsSpan().IndexOfAny(MarkupCharacters) < 0)
            return Whitespace().Replace(question, " ").Trim();
        var text = ScriptOrStyle().Replace(question, " ");
        text = HtmlComment().Replace(text, " ");
        text = Tag().Replace(text, " ");
        text = WebUtility.HtmlDecode(text);
        text = MarkdownLinkOrImage().Replace(text, "$1");
        text = MarkdownMarks().Replace(text, " ");
        text = Whitespace().Replace(text, " ");
        return SpaceBeforePunctuation().Replace(text, "$1").Trim();
    }

    [GeneratedRegex(@"<(script|style)\b[^>]*>.*?</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ScriptOrStyle();

    [GeneratedRegex(@"<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex HtmlComment();

    /// <summary>An opening, closing or self-closing tag: '&lt;' then a letter or '/', so "a &lt; b" stays.</summary>
    [GeneratedRegex(@"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"!?\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex MarkdownLinkOrImage();

    /// <summary>
    /// Code spans and fences, strike-through, table pipes, heading or quote marks at a line start, and emphasis
    /// (* or _ runs) at a word's edge only, so "snake_case" and "C#" keep theirs.
    /// </summary>
    [GeneratedRegex(@"`+|~~|\||(?m)^\s*(?:#{1,6}|>)\s|(?<![\p{L}\p{N}])[*_]+(?=[\p{L}\p{N}])|(?<=\S)[*_]+(?![\p{L}\p{N}])")]
    private static partial Regex MarkdownMarks();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>A space left before punctuation where a tag was: "&lt;b&gt;travel&lt;/b&gt;?" reads "travel?".</summary>
    [GeneratedRegex(@"\s+([?.!,;:])(?=\s|$)")]
    private static partial Regex SpaceBeforePunctuation();
}
