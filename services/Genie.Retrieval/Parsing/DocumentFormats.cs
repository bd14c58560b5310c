using System.Text;

namespace Genie.Retrieval.Parsing;

/// <summary>Which formats can be indexed, recognised by content type or file extension.</summary>
public static class DocumentFormats
{
    public const string Markdown = "text/markdown";
    public const string Text = "text/plain";
    public const string Html = "text/html";
    public const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public const string Pdf = "application/pdf";

    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".md"] = Markdown,
        [".markdown"] = Markdown,
        [".mdx"] = Markdown,
        [".txt"] = Text,
        [".text"] = Text,
        [".html"] = Html,
        [".htm"] = Html,
        [".docx"] = Docx,
        [".pdf"] = Pdf,
    };

    public static IReadOnlyCollection<string> Extensions => ByExtension.Keys;

    public static string? FromFileName(string name) => ByExtension.GetValueOrDefault(Path.GetExtension(name));

    /// <summary>The content type to parse with: a known declared type wins, else the extension, else null.</summary>
    public static string? Resolve(string? declared, string name)
    {
        var type = declared?.Split(';')[0].Trim().ToLowerInvariant();
        return type switch
        {
            Markdown or "text/x-markdown" => Markdown,
            Text => FromFileName(name) == Markdown ? Markdown : Text,
            Html or "application/xhtml+xml" => Html,
            Docx => Docx,
            Pdf => Pdf,
            _ => FromFileName(name),
        };
    }
}

/// <summary>Parses any supported format into blocks.</summary>
public sealed class DocumentParser
{
    public Task<ParsedDocument> ParseAsync(byte[] content, string contentType, string fileName, CancellationToken cancellationToken)
    {
        var parsed = contentType switch
        {
            DocumentFormats.Markdown => MarkdownParser.Parse(Decode(content)),
            DocumentFormats.Text => PlainTextParser.Parse(Decode(content)),
            DocumentFormats.Html => HtmlParser.Parse(Decode(content)),
            DocumentFormats.Docx => DocxParser.Parse(content),
            DocumentFormats.Pdf => PdfParser.Parse(content, fileName),
            _ => throw new DocumentParseException($"unsupported content type '{contentType}'"),
        };
        var title = string.IsNullOrWhiteSpace(parsed.Title) ? Path.GetFileNameWithoutExtension(fileName) : parsed.Title.Trim();
        return Task.FromResult(parsed with { Title = title });
    }

    private static string Decode(byte[] content)
    {
        var text = new UTF8Encoding(false, throwOnInvalidBytes: false).GetString(content);
        // NUL never occurs in text, and PostgreSQL cannot store it: a binary file with a text name is refused here.
        if (text.Contains('\0'))
            throw new DocumentParseException("the file is not text: it contains NUL bytes (is it an image or another binary file?)");
        return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
    }
}
