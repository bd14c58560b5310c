using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;
using PageSize = UglyToad.PdfPig.Content.PageSize;

namespace Genie.Retrieval.Tests;

/// <summary>Small real files built in memory: a DOCX through OpenXml, a one-page PDF through PdfPig.</summary>
public static class TestFiles
{
    public static byte[] Docx(string title, params (string? Style, string Text)[] paragraphs)
    {
        using var stream = new MemoryStream();
        using (var word = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = word.AddMainDocumentPart();
            var styles = main.AddNewPart<StyleDefinitionsPart>();
            styles.Styles = new Styles(
                new Style(new StyleName { Val = "Title" }) { StyleId = "Title", Type = StyleValues.Paragraph },
                new Style(new StyleName { Val = "heading 1" }) { StyleId = "Heading1", Type = StyleValues.Paragraph },
                new Style(new StyleName { Val = "List Paragraph" }) { StyleId = "ListParagraph", Type = StyleValues.Paragraph });
            var body = new Body(Paragraph("Title", title));
            foreach (var (style, text) in paragraphs)
                body.Append(Paragraph(style, text));
            main.Document = new Document(body);
        }
        return stream.ToArray();
    }

    private static Paragraph Paragraph(string? style, string text)
    {
        var paragraph = new Paragraph(new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
        if (style is not null)
            paragraph.PrependChild(new ParagraphProperties(new ParagraphStyleId { Val = style }));
        return paragraph;
    }

    /// <summary>A one-page PDF written by PdfPig's builder: a print-header line, then <paramref name="line"/>; a title in its Info dictionary when given.</summary>
    public static byte[] Pdf(string line, string? title = null)
    {
        var builder = new PdfDocumentBuilder();
        if (title is not null)
            builder.DocumentInformation.Title = title;
        var page = builder.AddPage(PageSize.A4);
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        page.AddText("12/4/26, 9:15 AM", 8, new PdfPoint(25, 800), font);
        page.AddText(line, 12, new PdfPoint(25, 700), font);
        return builder.Build();
    }
}
