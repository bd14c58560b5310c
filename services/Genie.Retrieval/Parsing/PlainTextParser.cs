using System.Text.RegularExpressions;

namespace Genie.Retrieval.Parsing;

/// <summary>Plain text (and PDF text): paragraphs separated by blank lines; the first short line is the title.</summary>
public static partial class PlainTextParser
{
    public static ParsedDocument Parse(string text)
    {
        var paragraphs = BlankLines().Split(text.Replace("\r\n", "\n").Replace('\f', '\n'))
            .Select(p => p.Trim())
            .Where(p => p.Length > 0)
            .Select(p => new DocumentBlock(BlockKind.Paragraph, p))
            .ToList();
        var firstLine = paragraphs.FirstOrDefault()?.Text.Split('\n')[0].Trim();
        var title = firstLine is { Length: > 0 and <= 120 } ? firstLine : null;
        return new ParsedDocument(title, paragraphs);
    }

    [GeneratedRegex(@"\n[ \t]*\n")]
    private static partial Regex BlankLines();
}
