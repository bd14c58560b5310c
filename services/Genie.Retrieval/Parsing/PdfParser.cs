using System.Diagnostics;

namespace Genie.Retrieval.Parsing;

/// <summary>PDF through Debian's <c>pdftotext -layout</c> (poppler-utils); a clear error when it is not installed.</summary>
public static class PdfParser
{
    public static async Task<ParsedDocument> ParseAsync(byte[] content, string pdftotextPath, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Path.GetTempPath(), $"genie-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(file, content, cancellationToken);
        try
        {
            var start = new ProcessStartInfo(pdftotextPath)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                ArgumentList = { "-layout", "-enc", "UTF-8", file, "-" },
            };
            Process process;
            try
            {
                process = Process.Start(start) ?? throw new DocumentParseException("pdftotext could not be started");
            }
            catch (System.ComponentModel.Win32Exception)
            {
                throw new DocumentParseException(
                    $"PDF needs '{pdftotextPath}' (Debian package poppler-utils), which is not installed on this machine");
            }
            using (process)
            {
                var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
                var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
                await process.WaitForExitAsync(cancellationToken);
                if (process.ExitCode != 0)
                    throw new DocumentParseException($"the PDF file cannot be read: {(await stderr).Trim()}");
                var text = await stdout;
                if (string.IsNullOrWhiteSpace(text))
                    throw new DocumentParseException("the PDF file contains no extractable text (scanned images need OCR)");
                return PlainTextParser.Parse(text);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }
}
