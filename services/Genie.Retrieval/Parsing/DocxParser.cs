using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Genie.Retrieval.Parsing;

/// <summary>DOCX with DocumentFormat.OpenXml: Heading/Title styles become headings, numbered paragraphs lists, tables pipe tables.</summary>
public static class DocxParser
{
    public static ParsedDocument Parse(byte[] content)
    {
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            using var word = WordprocessingDocument.Open(stream, false);
            var body = word.MainDocumentPart?.Document?.Body
                ?? throw new DocumentParseException("the DOCX file has no document body");
            var styles = StyleNames(word);
            var blocks = new List<DocumentBlock>();
            var listRun = new List<string>();
            void FlushList()
            {
                if (listRun.Count > 0)
                    blocks.Add(new DocumentBlock(BlockKind.List, string.Join('\n', listRun)));
                listRun.Clear();
            }

            string? title = word.PackageProperties.Title is { Length: > 0 } t ? t : null;
            foreach (var element in body.ChildElements)
            {
                switch (element)
                {
                    case Paragraph paragraph:
                        var text = ParagraphText(paragraph);
                        if (text.Length == 0)
                            continue;
                        var style = StyleName(paragraph, styles);
                        if (HeadingLevel(style) is { } level)
                        {
                            FlushList();
                            if (level == 0)
                                title ??= text;
                            blocks.Add(new DocumentBlock(BlockKind.Heading, text, Math.Max(level, 1)));
                        }
                        else if (paragraph.ParagraphProperties?.NumberingProperties is not null || style.StartsWith("list", StringComparison.OrdinalIgnoreCase))
                        {
                            var depth = paragraph.ParagraphProperties?.NumberingProperties?.NumberingLevelReference?.Val?.Value ?? 0;
                            listRun.Add($"{new string(' ', depth * 2)}- {text}");
                        }
                        else
                        {
                            FlushList();
                            blocks.Add(new DocumentBlock(BlockKind.Paragraph, text));
                        }
                        break;
                    case Table table:
                        FlushList();
                        blocks.Add(new DocumentBlock(BlockKind.Table, TableMarkdown(table)));
                        break;
                }
            }
            FlushList();
            return new ParsedDocument(title ?? blocks.FirstOrDefault(b => b.Kind == BlockKind.Heading)?.Text, blocks);
        }
        catch (Exception e) when (e is not DocumentParseException and not OperationCanceledException)
        {
            throw new DocumentParseException($"the DOCX file cannot be read: {e.Message}", e);
        }
    }

    private static Dictionary<string, string> StyleNames(WordprocessingDocument word) =>
        word.MainDocumentPart?.StyleDefinitionsPart?.Styles?.Elements<Style>()
            .Where(s => s.StyleId?.Value is not null)
            .ToDictionary(s => s.StyleId!.Value!, s => s.StyleName?.Val?.Value ?? s.StyleId!.Value!)
        ?? [];

    private static string StyleName(Paragraph paragraph, Dictionary<string, string> styles)
    {
        var id = paragraph.ParagraphProperties?.ParagraphStyleId?.Val?.Value;
        return id is null ? "" : styles.GetValueOrDefault(id, id);
    }

    /// <summary>0 for the Title style, 1..9 for Heading N, null otherwise.</summary>
    private static int? HeadingLevel(string style)
    {
        var compact = style.Replace(" ", "").ToLowerInvariant();
        if (compact == "title")
            return 0;
        if (compact.StartsWith("heading") && int.TryParse(compact["heading".Length..], out var level) && level is >= 1 and <= 9)
            return level;
        return null;
    }

    private static string ParagraphText(Paragraph paragraph)
    {
        var text = new StringBuilder();
        foreach (var node in paragraph.Descendants())
        {
            switch (node)
            {
                case Text t:
                    text.Append(t.Text);
                    break;
                case TabChar:
                    text.Append(' ');
                    break;
                case Break or CarriageReturn:
                    text.Append('\n');
                    break;
            }
        }
        return text.ToString().Trim();
    }

    private static string TableMarkdown(Table table)
    {
        var rows = table.Elements<TableRow>()
            .Select(r => r.Elements<TableCell>()
                .Select(c => string.Join(' ', c.Elements<Paragraph>().Select(ParagraphText)).Replace("|", "\\|").Replace('\n', ' '))
                .ToList())
            .Where(r => r.Count > 0)
            .ToList();
        if (rows.Count == 0)
            return "";
        var width = rows.Max(r => r.Count);
        string Row(IEnumerable<string> cells) => "| " + string.Join(" | ", cells) + " |";
        var lines = new List<string> { Row(Pad(rows[0], width)), Row(Enumerable.Repeat("---", width)) };
        lines.AddRange(rows.Skip(1).Select(r => Row(Pad(r, width))));
        return string.Join('\n', lines);
    }

    private static IEnumerable<string> Pad(List<string> cells, int width) => cells.Concat(Enumerable.Repeat("", width - cells.Count));
}
