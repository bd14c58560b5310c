using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Genie.Retrieval.Parsing;

/// <summary>
/// Markdown to blocks with Markdig: headings, paragraphs, lists, tables, code and quotes keep their
/// Markdown source; YAML front matter and Liquid tags are removed first.
/// </summary>
public static partial class MarkdownParser
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().UseGridTables().Build();

    public static ParsedDocument Parse(string markdown)
    {
        var (body, title) = FrontMatter.Strip(markdown.Replace("\r\n", "\n"));
        body = LiquidTags.Strip(body);
        var document = Markdown.Parse(body, Pipeline);
        var blocks = new List<DocumentBlock>();
        foreach (var block in document)
        {
            var parsed = ToBlock(block, body);
            if (parsed is not null && parsed.Text.Length > 0)
                blocks.Add(parsed);
        }
        title ??= blocks.FirstOrDefault(b => b.Kind == BlockKind.Heading && b.Level == 1)?.Text;
        return new ParsedDocument(title, blocks);
    }

    private static DocumentBlock? ToBlock(Block block, string source) => block switch
    {
        HeadingBlock heading => new DocumentBlock(BlockKind.Heading, InlineText(heading.Inline).Trim(), heading.Level),
        FencedCodeBlock or CodeBlock => new DocumentBlock(BlockKind.Code, Slice(block, source)),
        ListBlock => new DocumentBlock(BlockKind.List, Slice(block, source)),
        Table => new DocumentBlock(BlockKind.Table, Slice(block, source)),
        QuoteBlock => new DocumentBlock(BlockKind.Quote, Slice(block, source)),
        HtmlBlock => new DocumentBlock(BlockKind.Paragraph, HtmlToText(Slice(block, source))),
        ParagraphBlock => new DocumentBlock(BlockKind.Paragraph, Slice(block, source)),
        ThematicBreakBlock or LinkReferenceDefinitionGroup or BlankLineBlock => null,
        _ => new DocumentBlock(BlockKind.Paragraph, Slice(block, source)),
    };

    private static string Slice(Block block, string source)
    {
        var start = Math.Clamp(block.Span.Start, 0, source.Length);
        var end = Math.Clamp(block.Span.End + 1, start, source.Length);
        return source[start..end].Trim();
    }

    internal static string InlineText(ContainerInline? container)
    {
        if (container is null)
            return "";
        var text = new StringBuilder();
        foreach (var inline in container)
            AppendInline(inline, text);
        return text.ToString();
    }

    private static void AppendInline(Inline inline, StringBuilder text)
    {
        switch (inline)
        {
            case LiteralInline literal:
                text.Append(literal.Content.ToString());
                break;
            case CodeInline code:
                text.Append(code.Content);
                break;
            case LineBreakInline:
                text.Append(' ');
                break;
            case HtmlEntityInline entity:
                text.Append(entity.Transcoded.ToString());
                break;
            case ContainerInline nested:
                foreach (var child in nested)
                    AppendInline(child, text);
                break;
        }
    }

    private static string HtmlToText(string html)
    {
        var withoutComments = HtmlComment().Replace(html, " ");
        var text = WebUtility.HtmlDecode(HtmlTag().Replace(withoutComments, " "));
        return Whitespace().Replace(text, " ").Trim();
    }

    [GeneratedRegex("<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex HtmlComment();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
