using System.Text;
using System.Text.RegularExpressions;

namespace Genie.Agent.Answering;

/// <summary>
/// Turns a retrieved passage (Markdown-ish text) into quotable sentences: code blocks, tables,
/// headings, template tags and markup are dropped; list items become sentences of their own.
/// </summary>
public static partial class PassageSentences
{
    public static List<string> Split(string passage)
    {
        var sentences = new List<string>();
        var paragraph = new StringBuilder();
        var inCode = false;
        foreach (var rawLine in passage.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.StartsWith("```", StringComparison.Ordinal) || line.StartsWith("~~~", StringComparison.Ordinal))
            {
                inCode = !inCode;
                Flush();
                continue;
            }
            if (inCode) continue;
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith('|') || line.StartsWith("---", StringComparison.Ordinal) ||
                line.StartsWith('>') && line.Length < 3)
            {
                Flush();
                continue;
            }
            var item = ListMarker().Match(line);
            if (item.Success)
            {
                Flush();
                line = line[item.Length..];
            }
            if (line.StartsWith("> ", StringComparison.Ordinal)) line = line[2..];
            paragraph.Append(line).Append(' ');
        }
        Flush();
        return sentences;

        void Flush()
        {
            if (paragraph.Length == 0) return;
            var clean = Clean(paragraph.ToString());
            paragraph.Clear();
            foreach (var sentence in SentenceBoundary().Split(clean))
            {
                var s = sentence.Trim();
                if (s.Length < 12 || !s.Any(char.IsLetter)) continue;
                s = s.TrimEnd(',', ';', ' ');
                if (!".!?:".Contains(s[^1])) s += ".";
                sentences.Add(s);
            }
        }
    }

    /// <summary>Removes Markdown/HTML markup and template tags, keeping the readable text.</summary>
    public static string Clean(string text)
    {
        text = TemplateTag().Replace(text, " ");
        text = Image().Replace(text, " ");
        text = Link().Replace(text, "$1");
        text = ReferenceLink().Replace(text, "$1");
        text = HtmlTag().Replace(text, " ");
        text = Emphasis().Replace(text, "$2");
        text = text.Replace("`", "", StringComparison.Ordinal);
        text = System.Net.WebUtility.HtmlDecode(text);
        return CollapseWhitespace(text).Trim();
    }

    /// <summary>Runs of whitespace become one space; text with single spaces only (most of it) is returned as it is.</summary>
    private static string CollapseWhitespace(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i]) && (text[i] != ' ' || i + 1 < text.Length && char.IsWhiteSpace(text[i + 1])))
                return Whitespace().Replace(text, " ");
        }
        return text;
    }

    [GeneratedRegex(@"^(?:[-*+]|\d{1,3}[.)])\s+")]
    private static partial Regex ListMarker();

    // A sentence ends at . ! ? followed by space and a capital/digit/quote, except after common abbreviations.
    [GeneratedRegex(@"(?<!\b(?:e\.g|i\.e|etc|vs|Dr|Mr|Ms|Mrs|St|No|approx|incl)\.)(?<=[.!?])\s+(?=[""'(\[]?[A-Z0-9])")]
    private static partial Regex SentenceBoundary();

    [GeneratedRegex(@"\{%.*?%\}|\{\{.*?\}\}")]
    private static partial Regex TemplateTag();

    [GeneratedRegex(@"!\[[^\]]*\]\([^)]*\)")]
    private static partial Regex Image();

    [GeneratedRegex(@"\[([^\]]+)\]\([^)]*\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"\[([^\]]+)\]\[[^\]]*\]")]
    private static partial Regex ReferenceLink();

    [GeneratedRegex(@"</?[a-zA-Z][^>]*>")]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"(?<!\w)(\*\*|__|\*|_)(\S(?:.*?\S)?)\1(?!\w)")]
    private static partial Regex Emphasis();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
