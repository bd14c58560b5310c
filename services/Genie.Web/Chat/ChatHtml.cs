using System.Text;
using System.Text.Encodings.Web;
using Genie.Contracts.Agent.V1;
using Genie.Web.Learning;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Genie.Web.Chat;

/// <summary>
/// The HTML of an answer, made on the server only: Markdown with raw HTML disabled (so a model or a
/// document can never inject markup) and links kept only when they are plain http(s) or page-relative;
/// citations as numbered chips, each a &lt;details&gt; that opens its source without any script.
/// </summary>
public static class ChatHtml
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .Build();

    public static string Markdown(string markdown)
    {
        var document = Markdig.Markdown.Parse(markdown ?? "", Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (link.Url is { } url && !IsSafe(url))
                link.Url = "#";
        }
        foreach (var link in document.Descendants<AutolinkInline>())
        {
            if (!IsSafe(link.Url))
                link.Url = "#";
        }
        return document.ToHtml(Pipeline);
    }

    /// <param name="pathBase">The request's path base: "Open in the portal" links to <c>{pathBase}/Source/{chunk}#cited</c>.</param>
    public static string Citations(IEnumerable<Citation> citations, string pathBase)
    {
        var items = citations.OrderBy(c => c.Marker).ToList();
        if (items.Count == 0)
            return "";
        var html = new StringBuilder("<div class=\"citations\" data-test=\"citations\"><span class=\"small muted\">Sources</span>");
        foreach (var c in items)
        {
            var enc = HtmlEncoder.Default;
            var title = enc.Encode(DisplayText.Decoded(c.DocumentTitle));
            html.Append("<details class=\"cite\" data-cite=\"").Append(c.Marker).Append("\">")
                .Append("<summary class=\"cite-chip\" aria-label=\"Source ").Append(c.Marker).Append(": ").Append(title).Append("\">")
                .Append(c.Marker).Append("</summary><div class=\"cite-panel\">")
                .Append("<strong class=\"cite-title\">").Append(title).Append("</strong>");
            if (!string.IsNullOrWhiteSpace(c.HeadingPath))
                html.Append("<span class=\"cite-heading small muted\">").Append(enc.Encode(DisplayText.Decoded(c.HeadingPath))).Append("</span>");
            if (!string.IsNullOrWhiteSpace(c.Snippet))
                html.Append("<blockquote class=\"cite-snippet small\">").Append(Snippet(c.Snippet)).Append("</blockquote>");
            if (c.ChunkId.Length > 0)
                html.Append("<a class=\"small\" data-test=\"open-source\" href=\"").Append(enc.Encode($"{pathBase}/Source/{Uri.EscapeDataString(c.ChunkId)}#cited"))
                    .Append("\" target=\"_blank\">Open in the portal</a>");
            if (LinkSafety.WebLink(c.Uri) is { } link)
                html.Append("<a class=\"small\" href=\"").Append(enc.Encode(link)).Append("\" target=\"_blank\" rel=\"noopener noreferrer\">Open the original</a>");
            else if (!string.IsNullOrWhiteSpace(c.Uri))
                html.Append("<span class=\"small muted cite-uri\">").Append(enc.Encode(c.Uri)).Append("</span>");
            html.Append("</div></details>");
        }
        return html.Append("</div>").ToString();
    }

    /// <summary>
    /// A snippet as Retrieval sends it: document text with the matched terms wrapped in
    /// &lt;mark&gt;…&lt;/mark&gt;. Markdown marks go; everything is encoded; only those two exact tags are put back.
    /// </summary>
    public static string Snippet(string snippet) =>
        HtmlEncoder.Default.Encode(DisplayText.WithoutMarkdown(snippet))
            .Replace(EncodedMarkOpen, "<mark>", StringComparison.Ordinal)
            .Replace(EncodedMarkClose, "</mark>", StringComparison.Ordinal);

    private static readonly string EncodedMarkOpen = HtmlEncoder.Default.Encode("<mark>");
    private static readonly string EncodedMarkClose = HtmlEncoder.Default.Encode("</mark>");

    private static bool IsSafe(string url) =>
        LinkSafety.WebLink(url) is not null
        || url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)
        || url.StartsWith('#')
        || (url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal));
}
