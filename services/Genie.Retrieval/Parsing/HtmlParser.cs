using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Genie.Retrieval.Parsing;

/// <summary>HTML with AngleSharp: headings, paragraphs, lists, tables and pre blocks become Markdown blocks.</summary>
public static class HtmlParser
{
    private static readonly HashSet<string> Skipped = ["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "NAV", "HEADER", "FOOTER", "svg"];

    public static ParsedDocument Parse(string html)
    {
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        var blocks = new List<DocumentBlock>();
        var root = (IElement?)document.QuerySelector("main") ?? document.QuerySelector("article") ?? document.Body;
        if (root is not null)
            Walk(root, blocks);
        var title = document.Title is { Length: > 0 } t ? t.Trim()
            : blocks.FirstOrDefault(b => b.Kind == BlockKind.Heading && b.Level == 1)?.Text;
        return new ParsedDocument(title, blocks);
    }

    private static void Walk(IElement element, List<DocumentBlock> blocks)
    {
        var inlineRun = new StringBuilder();
        void FlushInline()
        {
            var text = Normalize(inlineRun.ToString());
            if (text.Length > 0)
                blocks.Add(new DocumentBlock(BlockKind.Paragraph, text));
            inlineRun.Clear();
        }

        foreach (var node in element.ChildNodes)
        {
            if (node is IText textNode)
            {
                inlineRun.Append(textNode.Data);
                continue;
            }
            if (node is not IElement child || Skipped.Contains(child.TagName))
                continue;
            var tag = child.TagName;
            switch (tag)
            {
                case "H1" or "H2" or "H3" or "H4" or "H5" or "H6":
                    FlushInline();
                    Add(blocks, BlockKind.Heading, Normalize(child.TextContent), tag[1] - '0');
                    break;
                case "P":
                    FlushInline();
                    Add(blocks, BlockKind.Paragraph, Normalize(child.TextContent));
                    break;
                case "UL" or "OL":
                    FlushInline();
                    Add(blocks, BlockKind.List, ListMarkdown(child, 0));
                    break;
                case "TABLE":
                    FlushInline();
                    Add(blocks, BlockKind.Table, TableMarkdown(child));
                    break;
                case "PRE":
                    FlushInline();
                    Add(blocks, BlockKind.Code, "```\n" + child.TextContent.TrimEnd() + "\n```");
                    break;
                case "BLOCKQUOTE":
                    FlushInline();
                    Add(blocks, BlockKind.Quote, "> " + Normalize(child.TextContent));
                    break;
                case "DIV" or "SECTION" or "ARTICLE" or "MAIN" or "ASIDE" or "BODY" or "DL" or "FIGURE":
                    FlushInline();
                    Walk(child, blocks);
                    break;
                case "BR":
                    inlineRun.Append('\n');
                    break;
                default:
                    inlineRun.Append(child.TextContent);
                    break;
            }
        }
        FlushInline();
    }

    private static void Add(List<DocumentBlock> blocks, BlockKind kind, string text, int level = 0)
    {
        if (text.Length > 0)
            blocks.Add(new DocumentBlock(kind, text, level));
    }

    private static string ListMarkdown(IElement list, int depth)
    {
        var lines = new List<string>();
        var ordered = list.TagName == "OL";
        var number = 1;
        foreach (var item in list.Children.Where(c => c.TagName == "LI"))
        {
            var ownText = string.Concat(item.ChildNodes
                .Where(n => n is not IElement e || e.TagName is not ("UL" or "OL"))
                .Select(n => n.TextContent));
            var marker = ordered ? $"{number++}." : "-";
            lines.Add($"{new string(' ', depth * 2)}{marker} {Normalize(ownText)}");
            foreach (var nested in item.Children.Where(c => c.TagName is "UL" or "OL"))
                lines.Add(ListMarkdown(nested, depth + 1));
        }
        return string.Join('\n', lines);
    }

    private static string TableMarkdown(IElement table)
    {
        var rows = table.QuerySelectorAll("tr")
            .Select(r => r.Children.Where(c => c.TagName is "TD" or "TH").Select(c => Normalize(c.TextContent).Replace("|", "\\|")).ToList())
            .Where(r => r.Count > 0)
            .ToList();
        if (rows.Count == 0)
            return "";
        var width = rows.Max(r => r.Count);
        var lines = new List<string> { Row(rows[0], width), Row(Enumerable.Repeat("---", width).ToList(), width) };
        lines.AddRange(rows.Skip(1).Select(r => Row(r, width)));
        return string.Join('\n', lines);
    }

    private static string Row(List<string> cells, int width) =>
        "| " + string.Join(" | ", cells.Concat(Enumerable.Repeat("", width - cells.Count))) + " |";

    private static string Normalize(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
