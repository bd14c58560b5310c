using System.Xml.Linq;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace Genie.Retrieval.Parsing;

/// <summary>
/// PDF through PdfPig (no external program): the text of every page in reading order, paragraphs where the
/// layout leaves a gap; the title from the document's metadata (Info dictionary, else XMP <c>dc:title</c>).
/// </summary>
public static class PdfParser
{
    public static ParsedDocument Parse(byte[] content, string fileName)
    {
        PdfDocument document;
        try
        {
            document = PdfDocument.Open(content);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // PdfPig throws several exception types for files that are not PDFs or are damaged beyond reading; their
            // text ("Could not find the version header comment…") means nothing to the person who uploaded the file.
            throw new DocumentParseException($"{fileName} is not a valid PDF", e);
        }
        using (document)
        {
            string text;
            try
            {
                text = string.Join("\n\n", document.GetPages().Select(PageText));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new DocumentParseException($"{fileName} is a damaged PDF: {e.Message}", e);
            }
            if (string.IsNullOrWhiteSpace(text))
                throw new DocumentParseException($"{fileName} contains no extractable text (scanned images need OCR)");
            // The first line of a printed page is often a print header (date, URL), not a title: only metadata names it.
            return PlainTextParser.Parse(text) with { Title = Title(document) };
        }
    }

    private static string PageText(Page page) => ContentOrderTextExtractor.GetText(page, addDoubleNewline: true);

    private static string? Title(PdfDocument document)
    {
        if (document.Information.Title is { } info && !string.IsNullOrWhiteSpace(info))
            return info.Trim();
        if (!document.TryGetXmpMetadata(out var xmp))
            return null;
        XNamespace dc = "http://purl.org/dc/elements/1.1/";
        var title = xmp.GetXDocument().Descendants(dc + "title").FirstOrDefault()?.Value;
        return string.IsNullOrWhiteSpace(title) ? null : title.Trim();
    }
}
