using System.Net;
using System.Text;
using Genie.Contracts.Retrieval.V1;
using Genie.ServiceDefaults.Auth;
using Genie.Testing.Hosts;
using Genie.Web.Tests.Infrastructure;

namespace Genie.Web.Tests;

/// <summary>The knowledge-base pages against the real Retrieval service over gRPC.</summary>
public sealed class KnowledgePagesTests(KnowledgePagesTests.Fixture fixture) : IClassFixture<KnowledgePagesTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public const int MaxUploadBytes = 8 * 1024;
        public RetrievalTestHost Retrieval { get; private set; } = null!;
        public PortalHost Portal { get; private set; } = null!;
        public TestUser Learner { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Retrieval = await RetrievalTestHost.StartAsync(new Dictionary<string, string?> { ["Genie:Retrieval:MaxUploadBytes"] = MaxUploadBytes.ToString() });
            Portal = await PortalHost.StartAsync(Retrieval.ClientSettings);
            Learner = await Portal.CreateAsync(Roles.Learner);
        }

        public async Task DisposeAsync()
        {
            await Portal.DisposeAsync();
            await Retrieval.DisposeAsync();
        }

        /// <summary>Creates a knowledge base through the page and returns its page URL.</summary>
        public async Task<string> CreateKbAsync(PortalBrowser admin, string name)
        {
            var created = await admin.PostFormAsync("/Dashboard/Knowledge", [new("Name", name), new("Description", "test")], "/Dashboard/Knowledge?handler=Create");
            Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
            return created.Headers.Location!.OriginalString;
        }
    }

    [Fact]
    public async Task Upload_lists_the_document_and_a_script_in_its_title_or_text_stays_text()
    {
        using var admin = await fixture.Portal.SignedInAdminAsync();
        var kbUrl = await fixture.CreateKbAsync(admin, "Handbook " + Guid.NewGuid().ToString("N")[..6]);
        Assert.StartsWith("/Dashboard/Knowledge/Base/", kbUrl);
        // A text file's title is its first line: the script travels in the title and in the text.
        const string text = "Onboarding <script>alert(1)</script>\n\nVPN access is requested in the IT portal. <script>alert('body')</script>\n";
        var upload = await admin.PostMultipartAsync(kbUrl, kbUrl + "?handler=Upload", "files", [("onboarding <img src=x onerror=alert(1)>.txt", Encoding.UTF8.GetBytes(text))]);
        Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode);

        var (response, page) = await admin.GetPageAsync(kbUrl);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Uploaded and indexed: onboarding <img src=x onerror=alert(1)>.txt", page.QuerySelector(".alert-success")!.TextContent);
        var title = page.QuerySelector("[data-test=documents] [data-test=document-title]")!;
        Assert.Contains("<script>alert(1)</script>", title.TextContent);
        Assert.Empty(title.Children);
        Assert.All(page.QuerySelectorAll("script"), s => Assert.StartsWith("/js/site.js", s.GetAttribute("src")));
        var (_, list) = await admin.GetPageAsync("/Dashboard/Knowledge");
        Assert.All(list.QuerySelectorAll("script"), s => Assert.StartsWith("/js/site.js", s.GetAttribute("src")));
    }

    [Fact]
    public async Task An_oversize_upload_shows_the_size_limit()
    {
        using var admin = await fixture.Portal.SignedInAdminAsync();
        var kbUrl = await fixture.CreateKbAsync(admin, "Big files");
        var big = Encoding.UTF8.GetBytes("# Big\n\n" + new string('x', Fixture.MaxUploadBytes * 2));
        var upload = await admin.PostMultipartAsync(kbUrl, kbUrl + "?handler=Upload", "files", [("big.md", big)]);
        Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode);
        var (_, page) = await admin.GetPageAsync(kbUrl);
        var error = page.QuerySelector(".alert-error")!.TextContent;
        Assert.Contains("big.md was not uploaded", error);
        Assert.Contains($"limited to {Fixture.MaxUploadBytes} bytes", error);
        Assert.Null(page.QuerySelector("[data-test=documents] [data-document]"));
    }

    [Fact]
    public async Task Grants_per_role_and_person_reach_retrieval()
    {
        using var admin = await fixture.Portal.SignedInAdminAsync();
        var kbUrl = await fixture.CreateKbAsync(admin, "Granted");
        var id = kbUrl.Split('/')[^1];
        var saved = await admin.PostFormAsync(kbUrl, [new("roles", Roles.Instructor), new("addEmail", fixture.Learner.Email)], kbUrl + "?handler=Grants");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var kb = await fixture.Retrieval.Client.GetKnowledgeBaseAsync(new GetKnowledgeBaseRequest { Id = id }, fixture.Retrieval.Admin);
        Assert.Equal([Roles.Instructor], kb.Grants.Roles);
        Assert.Equal([fixture.Learner.Id.ToString()], kb.Grants.UserIds);
        var (_, page) = await admin.GetPageAsync(kbUrl);
        Assert.NotNull(page.QuerySelector($"[data-test=grants-form] input[name=userIds][value='{fixture.Learner.Id}'][checked]"));

        // The learner now reads it (and only sees it, without management).
        using var learner = await fixture.Portal.SignedInClientAsync(fixture.Learner);
        Assert.Equal(HttpStatusCode.Forbidden, (await learner.GetAsync(kbUrl)).StatusCode);
    }

    [Fact]
    public async Task Changing_the_embedder_shows_the_switch_then_the_new_embedder_and_a_refusal_in_plain_words()
    {
        using var admin = await fixture.Portal.SignedInAdminAsync();
        var kbUrl = await fixture.CreateKbAsync(admin, "Re-embedded");
        var id = kbUrl.Split('/')[^1];
        await admin.PostMultipartAsync(kbUrl, kbUrl + "?handler=Upload", "files", [("badge.md", Encoding.UTF8.GetBytes("# Badge\n\nCollect your badge at the security desk."))]);
        var (_, before) = await admin.GetPageAsync(kbUrl);
        Assert.Contains("builtin hashing-v1 (384 dimensions)", before.QuerySelector("[data-test=embedder]")!.TextContent);
        Assert.NotNull(before.QuerySelector("[data-test=embedder-form] select[name=provider] option[value=builtin-model]"));

        var refused = await admin.PostFormAsync(kbUrl, [new("provider", "word2vec"), new("model", "")], kbUrl + "?handler=Embedder");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        var (_, refusal) = await admin.GetPageAsync(kbUrl);
        Assert.Contains("The embedder was not changed", refusal.QuerySelector(".alert-error")!.TextContent);
        Assert.Contains("word2vec", refusal.QuerySelector(".alert-error")!.TextContent);

        var changed = await admin.PostFormAsync(kbUrl, [new("provider", "builtin-model"), new("model", "")], kbUrl + "?handler=Embedder");
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        var (_, started) = await admin.GetPageAsync(kbUrl);
        var flash = started.QuerySelector(".alert-success")!.TextContent;
        Assert.Contains("Re-embedding with builtin-model arctic-embed-xs started", flash);
        // The card shows the progress until the swap, then the new embedder.
        var card = started.QuerySelector("[data-test=embedder]")!.TextContent;
        Assert.True(card.Contains("Re-embedding with builtin-model arctic-embed-xs:") && card.Contains("/ 1 chunks") || card.Contains("builtin-model arctic-embed-xs (384 dimensions)"), card);

        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while ((await fixture.Retrieval.Client.GetKnowledgeBaseAsync(new GetKnowledgeBaseRequest { Id = id }, fixture.Retrieval.Admin)).EmbedderSwitch is not null)
            await Task.Delay(100, patience.Token);
        var (_, after) = await admin.GetPageAsync(kbUrl);
        Assert.Contains("builtin-model arctic-embed-xs (384 dimensions)", after.QuerySelector("[data-test=embedder]")!.TextContent);
        Assert.Null(after.QuerySelector("[data-test=embedder-switch]"));
    }

    [Fact]
    public async Task Mcp_secrets_are_write_only()
    {
        using var admin = await fixture.Portal.SignedInAdminAsync();
        var kbUrl = await fixture.CreateKbAsync(admin, "Notion");
        var added = await admin.PostFormAsync(kbUrl,
        [
            new("Mcp.Name", "Notion wiki"), new("Mcp.Transport", "command"), new("Mcp.Command", "npx"),
            new("Mcp.Args", "-y\n@notionhq/notion-mcp-server"), new("Mcp.Secrets", "NOTION_TOKEN=ntn_supersecret_123"),
            new("Mcp.SyncIntervalMinutes", "0"),
        ], kbUrl + "?handler=AddMcp");
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var (_, page) = await admin.GetPageAsync(kbUrl);
        var row = page.QuerySelector("[data-test=sources] tr[data-kind=mcp]")!;
        Assert.Contains("Secrets stored: NOTION_TOKEN", row.TextContent);
        Assert.Contains("npx -y @notionhq/notion-mcp-server", row.TextContent);
        Assert.DoesNotContain("ntn_supersecret_123", page.DocumentElement.OuterHtml);

        // A form error comes back without the typed secret.
        var invalid = await admin.PostFormAsync(kbUrl, [new("Mcp.Name", "Broken"), new("Mcp.Transport", "command"), new("Mcp.Command", "npx"), new("Mcp.Secrets", "not a pair ntn_other_secret")], kbUrl + "?handler=AddMcp");
        var html = await invalid.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, invalid.StatusCode);
        Assert.Contains("Line 1 is not NAME=value", html);
        Assert.DoesNotContain("ntn_other_secret", html);
    }

    [Fact]
    public async Task A_folder_syncs_with_streamed_progress_and_lists_per_document_errors()
    {
        var folder = Directory.CreateTempSubdirectory("genie-web-kb-");
        File.WriteAllText(Path.Combine(folder.FullName, "laptops.md"), "# Laptops\n\nEvery new hire gets a laptop on the first day.\n");
        File.WriteAllText(Path.Combine(folder.FullName, "broken.docx"), "this is not a zip archive");
        try
        {
            using var admin = await fixture.Portal.SignedInAdminAsync();
            var kbUrl = await fixture.CreateKbAsync(admin, "Folder");
            var added = await admin.PostFormAsync(kbUrl, [new("Folder.Name", "Handbook folder"), new("Folder.Path", folder.FullName), new("Folder.SyncIntervalMinutes", "0")], kbUrl + "?handler=AddFolder");
            Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
            var (_, page) = await admin.GetPageAsync(kbUrl);
            var form = page.QuerySelector("[data-test=sources] form[data-stream]")!;
            var request = new HttpRequestMessage(HttpMethod.Post, form.GetAttribute("action"))
            {
                Content = new FormUrlEncodedContent(
                [
                    new("__RequestVerificationToken", form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!),
                    new("sourceId", form.QuerySelector("input[name=sourceId]")!.GetAttribute("value")!),
                ]),
            };
            request.Headers.Accept.ParseAdd("text/event-stream");
            var events = SseParser.Parse(await (await admin.SendAsync(request)).Content.ReadAsStringAsync());
            Assert.Contains(events, e => e.Name == "progress");
            var done = events[^1];
            Assert.Equal("done", done.Name);
            Assert.Equal("completed_with_errors", done.Data.GetProperty("state").GetString());
            Assert.Contains("1 added", done.Data.GetProperty("summary").GetString());
            Assert.Contains("1 failed", done.Data.GetProperty("summary").GetString());

            var (_, after) = await admin.GetPageAsync(kbUrl);
            Assert.Equal("Laptops", after.QuerySelector("[data-test=documents] tr[data-status=indexed] [data-test=document-title]")!.TextContent);
            var failed = after.QuerySelector("[data-test=documents] tr[data-status=failed]")!;
            Assert.Contains("broken.docx", failed.TextContent);
            Assert.NotEmpty(failed.QuerySelector("[data-test=document-error]")!.TextContent.Trim());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Delete_needs_the_name_typed_and_then_removes_everything()
    {
        using var admin = await fixture.Portal.SignedInAdminAsync();
        var kbUrl = await fixture.CreateKbAsync(admin, "Old wiki");
        var id = kbUrl.Split('/')[^1];
        var refused = await admin.PostFormAsync(kbUrl, [new("confirmName", "old")], kbUrl + "?handler=Delete");
        Assert.Equal(kbUrl, refused.Headers.Location!.OriginalString);
        Assert.Equal("Old wiki", (await fixture.Retrieval.Client.GetKnowledgeBaseAsync(new GetKnowledgeBaseRequest { Id = id }, fixture.Retrieval.Admin)).Name);

        var deleted = await admin.PostFormAsync(kbUrl, [new("confirmName", "Old wiki")], kbUrl + "?handler=Delete");
        Assert.Equal("/Dashboard/Knowledge", deleted.Headers.Location!.OriginalString);
        var list = await fixture.Retrieval.Client.ListKnowledgeBasesAsync(new ListKnowledgeBasesRequest(), fixture.Retrieval.Admin);
        Assert.DoesNotContain(list.KnowledgeBases, k => k.Id == id);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(kbUrl)).StatusCode);
    }
}
