using System.Net;
using System.Text;
using AngleSharp.Html.Parser;
using Genie.Contracts.Retrieval.V1;
using Genie.Reliability.Tests.Abuse;
using Grpc.Core;
using Xunit.Abstractions;

namespace Genie.Reliability.Tests.Portal;

/// <summary>
/// The knowledge-base upload form (found on the page, as a browser would) refuses files that are too large, of the
/// wrong kind, empty or named with a path, each with a plain message; nothing lands outside Retrieval's database and
/// the documents already there are untouched.
/// </summary>
[Collection(nameof(AbuseCollection))]
public sealed class PortalUploadAbuseTests(ServicesUnderAttack services, ITestOutputHelper output)
{
    private static readonly HtmlParser Parser = new();

    private sealed record Upload(string Case, string FileName, byte[] Content, string ContentType = "application/octet-stream");

    [Fact]
    public async Task Hostile_uploads_are_refused_in_plain_words_and_the_documents_already_there_stay()
    {
        var kb = await services.Retrieval.CreateKbAsync("Upload abuse");
        var page = $"/Dashboard/Knowledge/Base/{kb.Id}";
        using var admin = await PortalPeople.AdminAsync(services.Web);
        var form = PortalCrawler.FormsOf(page, (await admin.GetAsync(page)).Body).Single(f => f.Multipart);
        var field = form.Fields.Single(f => f.Kind == "file").Name;

        var good = await admin.PostMultipartAsync(form.Action, form.Token, field, "parking.md", Encoding.UTF8.GetBytes("# Parking\n\nBadge holders park on level two."));
        Assert.Equal(HttpStatusCode.Redirect, good.Status);
        Assert.Contains("Uploaded and indexed: parking.md", await FlashAsync(admin, page));
        var before = await DocumentsAsync(kb);
        Assert.Single(before);

        var uploads = new List<Upload>
        {
            new("over the portal's 32 MB limit", "big.md", Filled((int)Genie.Web.Pages.Dashboard.Knowledge.BaseModel.MaxUploadBytes + 1)),
            new("over the request size limit", "huge.md", Filled((int)Genie.Web.Pages.Dashboard.Knowledge.BaseModel.MaxRequestBytes + 1024)),
            new("over Retrieval's limit", "long.md", Filled(Genie.Testing.Hosts.RetrievalTestHost.MaxUploadBytes + 1)),
            new("a program", "setup.exe", [(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0, 4, 0]),
            new("a PNG named .md", "photo.md", [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, (byte)'I', (byte)'H', (byte)'D', (byte)'R', 0xFF, 0xFE, 0, 0]),
            new("a zip", "docs.zip", [(byte)'P', (byte)'K', 3, 4, 20, 0, 0, 0, 8, 0]),
            new("a zip named .docx", "notes.docx", [(byte)'P', (byte)'K', 3, 4, 20, 0, 0, 0, 8, 0]),
            new("an empty file", "empty.md", []),
            new("a parent-directory path", "../../etc/passwd.md", Text()),
            new("a Windows parent path", "..\\..\\x.md", Text()),
            new("an absolute path", "/etc/passwd.md", Text()),
            new("a drive path", "C:\\Windows\\x.md", Text()),
            new("a NUL in the name", "a\0b.md", Text()),
            new("a 300-character name", new string('n', 297) + ".md", Text()),
            new("markup in the name", "<img src=x onerror=alert(1)>.md", Text()),
        };
        var failures = new List<string>();
        foreach (var upload in uploads)
        {
            var answer = await admin.PostMultipartAsync(form.Action, form.Token, field, upload.FileName, upload.Content, upload.ContentType);
            var message = answer.Status == HttpStatusCode.Redirect ? await FlashAsync(admin, page) : Parser.ParseDocument(answer.Body).QuerySelector("main")?.TextContent ?? "";
            output.WriteLine($"{upload.Case}: {(int)answer.Status} {Squeeze(message)}");
            if ((int)answer.Status >= 500 || message.Contains("Exception", StringComparison.Ordinal) || message.Contains("   at ", StringComparison.Ordinal))
                failures.Add($"{upload.Case}: {(int)answer.Status} {message}");
            else if (!message.Contains("not uploaded", StringComparison.Ordinal) && !message.Contains("at most", StringComparison.Ordinal) && !message.Contains("too large", StringComparison.Ordinal)
                     && !message.Contains("Uploaded and indexed", StringComparison.Ordinal) && !message.Contains("Choose one or more files", StringComparison.Ordinal))
                failures.Add($"{upload.Case}: no message saying what happened ({(int)answer.Status} '{Squeeze(message)}')");
        }
        var noFile = await admin.PostMultipartAsync(form.Action, form.Token, "other", "x.md", Text());
        Assert.Contains("Choose one or more files", noFile.Status == HttpStatusCode.Redirect ? await FlashAsync(admin, page) : noFile.Body);
        var noToken = await admin.PostMultipartAsync(form.Action, null, field, "sneaky.md", Text());
        Assert.Equal(HttpStatusCode.BadRequest, noToken.Status);
        output.WriteLine($"{uploads.Count + 2} hostile uploads");
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // Only plain names were stored (a name with markup is a file name like any other, shown as text).
        var after = await DocumentsAsync(kb);
        Assert.Contains(after, d => d.Uri == before[0].Uri && d.ContentHash == before[0].ContentHash && d.ChunkCount == before[0].ChunkCount);
        Assert.All(after, d => Assert.True(d.Uri.IndexOfAny(['/', '\\', '\0']) < 0 && !d.Uri.Contains("..", StringComparison.Ordinal), d.Uri));
        Assert.DoesNotContain(after, d => d.Uri.EndsWith("passwd.md", StringComparison.Ordinal) || d.Uri == "x.md");
        Assert.False(File.Exists("/etc/passwd.md"));
        Assert.Empty(Directory.EnumerateFiles(Path.GetTempPath(), "passwd.md", SearchOption.TopDirectoryOnly));
        Assert.Empty(PortalFormAbuseTests.Unsafe((await admin.GetAsync(page)).Body));
        foreach (var target in services.ByService.Values)
            Assert.Equal(StatusCode.OK, await services.HealthAsync(target));
    }

    private async Task<List<Document>> DocumentsAsync(KnowledgeBase kb) =>
        [.. (await services.Retrieval.Client.ListDocumentsAsync(new ListDocumentsRequest { KnowledgeBaseId = kb.Id }, services.Retrieval.Admin)).Documents];

    private static async Task<string> FlashAsync(PortalSession session, string page) =>
        string.Join(" ", Parser.ParseDocument((await session.GetAsync(page)).Body).QuerySelectorAll(".alert").Select(a => a.TextContent.Trim()));

    private static byte[] Filled(int length) => Enumerable.Repeat((byte)'a', length).ToArray();

    private static byte[] Text() => Encoding.UTF8.GetBytes("# Sneaky\n\nThis should never be stored under a path.");

    private static string Squeeze(string text) => string.Join(' ', text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)) is var s && s.Length > 200 ? s[..200] + "…" : s;
}
