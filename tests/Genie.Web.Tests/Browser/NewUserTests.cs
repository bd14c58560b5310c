using System.Text.RegularExpressions;
using Genie.Contracts.Retrieval.V1;
using Genie.ServiceDefaults.Auth;
using Genie.Web.Bots;
using Genie.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Genie.Web.Tests.Browser;

/// <summary>
/// The portal as a new admin and learner meet it (issue 18), in a real browser over the real Retrieval
/// and Agent: every page fits a phone, errors say what to do before and after, admin pages stay current
/// and tidy, and a question with pasted markup is still answered from the documents.
/// </summary>
public sealed class NewUserTests(BrowserFixture browser, NewUserTests.Fixture system)
    : IClassFixture<BrowserFixture>, IClassFixture<NewUserTests.Fixture>
{
    private const string Question = "How long does it take to get my building badge?";

    private const string LongFileName = "onboarding-guide-for-new-engineers-joining-the-platform-team-in-their-first-week.md";

    public const string TockMarkdown = """
        # Tock

        ## What is Tock

        Tock is the time tracking tool where every employee records the hours spent on each project every week.
        Submit your Tock timecard by the end of the last working day of each week.
        """;

    /// <summary>A page whose title arrives HTML-escaped and whose text carries Markdown marks.</summary>
    public const string NetworksMarkdown = """
        # Logging in &amp; Networks

        ## Guest Wi-Fi

        Connect your laptop to the **GSA-Guest** Wi-Fi network with the password printed on your [visitor badge](/badges).

        ## Wired network

        Desks on the third floor have wired network ports; plug in and sign in with your PIV card.
        """;

    public sealed class Fixture : IAsyncLifetime
    {
        public ChatSystem Hosts { get; private set; } = null!;
        public TestUser Learner { get; private set; } = null!;
        public KnowledgeBase Handbook { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Hosts = await ChatSystem.StartAsync();
            Learner = await Hosts.Portal.CreateAsync(Roles.Learner, name: "Pat Phone");
            await Hosts.Portal.Get<BotAssignments>().AssignAsync(Bot.OnboardingId, Learner.Id, null);
            Handbook = await Hosts.Retrieval.CreateKbWithDocumentsAsync("Handbook", new Grants { UserIds = { Learner.Id.ToString() } },
                [("badges.md", ChatSystem.BadgesMarkdown), ("tock.md", TockMarkdown), ("networks.md", NetworksMarkdown), (LongFileName, "# First week\n\nMeet your onboarding buddy on the first day.")]);
        }

        public async Task DisposeAsync() => await Hosts.DisposeAsync();
    }

    [Fact]
    public async Task Every_page_fits_a_phone_and_the_documents_table_fits_a_desktop()
    {
        var (learnerContext, learner, learnerErrors) = await SignedInAsync(system.Learner, width: 390, height: 844);
        await using var _ = learnerContext;
        var answer = await AskAsync(learner, Question);
        await Expect(answer.Locator(".msg-body.markdown")).ToContainTextAsync("two business days");
        await answer.Locator("details.cite summary.cite-chip").Last.ClickAsync();
        await Expect(answer.Locator("details.cite[open] .cite-panel")).ToBeVisibleAsync();
        await AssertFitsAsync(learner, "the learner chat with an open citation");
        await BrowserFixture.ScreenshotAsync(learner, "60-learner-chat-390");
        foreach (var path in new[] { "/", "/Chat?bot=onboarding", "/Learn/Progress", "/Preferences", "/Me/Tokens", "/Account/ChangePassword" })
        {
            await learner.GotoAsync(path);
            await AssertFitsAsync(learner, "the learner's " + path);
        }
        await learner.SetViewportSizeAsync(1280, 860);
        await learner.GotoAsync("/Chat?bot=onboarding");
        await learner.Locator("[data-test=conversations] li a").First.ClickAsync();
        await Expect(learner.Locator(".msg-assistant .msg-body")).ToContainTextAsync("two business days");
        await BrowserFixture.ScreenshotAsync(learner, "61-learner-chat-1280");

        var (adminContext, admin, adminErrors) = await SignedInAsync(null, width: 390, height: 844);
        await using var __ = adminContext;
        var knowledgeBase = $"/Dashboard/Knowledge/Base/{system.Handbook.Id}";
        string[] pages =
        [
            "/", "/Chat", "/Learn/Progress", "/Dashboard", "/Dashboard/Users", "/Dashboard/Users/Manage/Create", "/Dashboard/Bots",
            "/Dashboard/Knowledge", knowledgeBase, "/Dashboard/Team", "/Admin/Analytics", "/Admin/Feedback", "/Admin/Settings",
            "/Admin/Lms", "/Admin/Slack", "/Admin/Notifications", "/Admin/Audit", "/Admin/System", "/Preferences", "/Me/Tokens", "/Account/ChangePassword",
        ];
        foreach (var path in pages)
        {
            var response = await admin.GotoAsync(path);
            Assert.True(response!.Ok, $"{path} answered {response.Status}");
            await AssertFitsAsync(admin, path);
        }
        await admin.GotoAsync(knowledgeBase);
        await BrowserFixture.ScreenshotAsync(admin, "62-knowledge-base-390");

        await admin.SetViewportSizeAsync(1280, 860);
        await admin.GotoAsync(knowledgeBase);
        var documents = admin.Locator("[data-test=documents]");
        await Expect(documents).ToContainTextAsync(LongFileName);
        var clipped = await documents.EvaluateAsync<bool>("table => table.parentElement.scrollWidth > table.parentElement.clientWidth");
        Assert.False(clipped, "the documents table is wider than its card at 1280 px, so its last column is cut off");
        var lastColumn = (await documents.Locator("th").Last.BoundingBoxAsync())!;
        var card = (await documents.Locator("xpath=..").BoundingBoxAsync())!;
        Assert.True(lastColumn.X + lastColumn.Width <= card.X + card.Width + 1, $"the last column ends at {lastColumn.X + lastColumn.Width} px, its card at {card.X + card.Width} px");
        await BrowserFixture.ScreenshotAsync(admin, "63-knowledge-base-1280");
        Assert.Empty(learnerErrors);
        Assert.Empty(adminErrors);
    }

    [Fact]
    public async Task The_question_box_states_its_one_limit_and_says_what_is_wrong()
    {
        var (context, page, errors) = await SignedInAsync(system.Learner, width: 390, height: 844);
        await using var _ = context;
        await page.GotoAsync("/Chat?bot=onboarding");
        await Expect(page.Locator("#chat-limit")).ToContainTextAsync("Up to 2,000 characters.");
        var box = page.Locator("#chat-message");
        var problem = page.Locator("[data-chat-problem]");

        await box.FillAsync("   \n  ");
        await page.Locator("[data-chat-send]").ClickAsync();
        await Expect(problem).ToHaveTextAsync("Type a question first.");
        await Expect(page.Locator(".msg-user")).ToHaveCountAsync(0);

        var pasted = string.Concat(Enumerable.Repeat("Where do I collect my badge? ", 700)).Trim(); // 20,299 characters
        await box.FillAsync(pasted);
        await Expect(page.Locator("[data-chat-count]")).ToHaveTextAsync($"{pasted.Length:N0} / 2,000");
        await Expect(page.Locator("[data-chat-count]")).ToHaveClassAsync(new Regex("error-text"));
        await page.Locator("[data-chat-send]").ClickAsync();
        await Expect(problem).ToHaveTextAsync($"Questions can be at most 2,000 characters; this one has {pasted.Length:N0}. Shorten it and send it again.");
        Assert.Equal(pasted.Length, (await box.InputValueAsync()).Length); // nothing typed or pasted is cut
        await Expect(page.Locator(".msg-user")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "64-question-too-long");

        await box.FillAsync(Question);
        await Expect(problem).ToBeHiddenAsync();
        await Expect(page.Locator("[data-chat-count]")).ToHaveTextAsync($"{Question.Length} / 2,000");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task An_upload_over_the_limit_is_refused_in_plain_words_before_and_after_sending()
    {
        var big = Path.Combine(Path.GetTempPath(), $"genie-{Guid.NewGuid():N}", "big.pdf");
        Directory.CreateDirectory(Path.GetDirectoryName(big)!);
        await using (var file = File.Create(big))
            file.SetLength(33L * 1024 * 1024);
        try
        {
            var knowledgeBase = $"/Dashboard/Knowledge/Base/{system.Handbook.Id}";
            var (context, page, errors) = await SignedInAsync(null);
            await using var _ = context;
            await page.GotoAsync(knowledgeBase);
            await Expect(page.Locator("#files-limit")).ToContainTextAsync("Files can be at most 32 MB each.");
            await page.GetByLabel("Markdown, text, HTML, DOCX or PDF").SetInputFilesAsync(big);
            var problem = page.Locator("[data-file-problem]");
            await Expect(problem).ToHaveTextAsync("big.pdf is 33 MB; files can be at most 32 MB.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Upload and index" }).ClickAsync();
            await Expect(problem).ToBeVisibleAsync();
            Assert.EndsWith(knowledgeBase, new Uri(page.Url).AbsolutePath);
            Assert.Empty(errors);

            // Without script the portal itself refuses it, with a page that says why.
            var (plainContext, plain, _) = await SignedInAsync(null, javaScript: false);
            await using var __ = plainContext;
            await plain.GotoAsync(knowledgeBase);
            await plain.GetByLabel("Markdown, text, HTML, DOCX or PDF").SetInputFilesAsync(big);
            await plain.GetByRole(AriaRole.Button, new() { Name = "Upload and index" }).ClickAsync();
            await Expect(plain.GetByRole(AriaRole.Heading, new() { Name = "That upload is too large" })).ToBeVisibleAsync();
            await Expect(plain.Locator(".empty-state")).ToContainTextAsync("Files can be at most 32 MB each.");
            await Expect(plain.Locator(".status-code")).ToHaveTextAsync("413");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(big)!, recursive: true);
        }
    }

    [Fact]
    public async Task Admin_pages_update_when_a_sync_ends_and_show_names_counts_and_file_names_as_they_are()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"genie-docs-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "leave.md"), "# Leave\n\nBook annual leave in the HR system two weeks ahead.");
        await File.WriteAllTextAsync(Path.Combine(folder, "travel.md"), "# Travel\n\nBook travel through the travel desk.");
        try
        {
            var kb = await system.Hosts.Retrieval.CreateKbAsync("Policies");
            var knowledgeBase = $"/Dashboard/Knowledge/Base/{kb.Id}";
            var (context, page, errors) = await SignedInAsync(null);
            await using var _ = context;
            await page.GotoAsync(knowledgeBase);

            // A file whose name is markup is listed in full, as text; one whose name holds a "/" (which no
            // stored name may) is refused by that full name, not stored cut to "script>.md".
            const string markupName = "<img src=x onerror=alert(1)>.md";
            await UploadAsync(page, markupName, "# Images\n\nWhere the team's images live.");
            await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Uploaded and indexed: {markupName} (1 chunk).");
            await Expect(page.Locator("[data-test=documents] .uri")).ToContainTextAsync(markupName);
            await Expect(page.Locator("[data-live=kb-summary]")).ToContainTextAsync("1 document, 1 chunk");
            const string scriptName = "<script>alert(1)</script>.md";
            await UploadAsync(page, scriptName, "# Scripts\n\nWhere the build scripts live.");
            await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync($"{scriptName} was not uploaded: Must be a plain file name without directories.");
            await Expect(page.Locator("[data-test=documents] tbody tr")).ToHaveCountAsync(1);
            await Expect(page.Locator("[data-test=documents]")).Not.ToContainTextAsync("script>.md");

            // A folder source: its row is current when the sync ends, without a reload.
            await page.Locator("summary", new() { HasText = "Add a folder" }).ClickAsync();
            await page.GetByLabel("Name", new() { Exact = true }).First.FillAsync("Policy folder");
            await page.GetByLabel("Folder path").FillAsync(folder);
            await page.GetByRole(AriaRole.Button, new() { Name = "Add folder" }).ClickAsync();
            var row = page.Locator("tr[data-kind=folder]");
            await Expect(row).ToContainTextAsync("Policy folder");
            var sourceId = await row.GetAttributeAsync("data-source");
            await page.EvaluateAsync("() => window.notReloaded = true");
            await row.GetByRole(AriaRole.Button, new() { Name = "Sync now" }).ClickAsync();
            await Expect(row.Locator("[data-stream-text]")).ToContainTextAsync("Refresh the page");
            await Expect(page.Locator($"[data-live='status-{sourceId}']")).ToHaveTextAsync("ok");
            await Expect(page.Locator($"[data-live='documents-{sourceId}']")).ToHaveTextAsync("2");
            await Expect(page.Locator($"[data-live='synced-{sourceId}']")).Not.ToHaveTextAsync("—");
            await Expect(page.Locator("[data-test=documents]")).ToContainTextAsync("travel.md");
            Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"));
            await BrowserFixture.ScreenshotAsync(page, "65-folder-synced-live");

            // The audit log on a phone: action codes whole, knowledge bases by name.
            await page.SetViewportSizeAsync(390, 844);
            await page.GotoAsync("/Admin/Audit?q=kb.upload");
            var upload = page.Locator("[data-test=audit-table] tbody tr", new() { HasText = markupName });
            await Expect(upload.Locator(".action-code")).ToHaveTextAsync("kb.upload");
            Assert.Equal(1, await upload.Locator(".action-code").EvaluateAsync<int>("code => code.getClientRects().length"));
            var lineHeight = await upload.Locator(".action-code").EvaluateAsync<double>("code => parseFloat(getComputedStyle(code).lineHeight) || code.getBoundingClientRect().height");
            Assert.True((await upload.Locator(".action-code").BoundingBoxAsync())!.Height < lineHeight * 1.5, "the action code wraps");
            await Expect(upload.Locator("[data-test=target-name]")).ToHaveTextAsync("Policies");
            await AssertFitsAsync(page, "the audit log");
            await BrowserFixture.ScreenshotAsync(page, "66-audit-log-390");
            Assert.Empty(errors);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task An_executable_named_pdf_is_refused_in_plain_words_and_the_next_upload_still_works()
    {
        var kb = await system.Hosts.Retrieval.CreateKbAsync("Installers");
        var (context, page, errors) = await SignedInAsync(null);
        await using var _ = context;
        await page.GotoAsync($"/Dashboard/Knowledge/Base/{kb.Id}");

        // A Windows executable renamed setup.pdf: the "MZ" header, then arbitrary bytes.
        var executable = new byte[4096];
        new Random(18).NextBytes(executable);
        executable[0] = (byte)'M';
        executable[1] = (byte)'Z';
        await page.GetByLabel("Markdown, text, HTML, DOCX or PDF").SetInputFilesAsync(new FilePayload
        {
            Name = "setup.pdf",
            MimeType = "application/pdf",
            Buffer = executable,
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and index" }).ClickAsync();
        var alert = page.GetByRole(AriaRole.Alert);
        await Expect(alert).ToHaveTextAsync("setup.pdf was not uploaded: setup.pdf is not a valid PDF.");
        var shown = await page.Locator("#main").InnerTextAsync();
        foreach (var raw in new[] { "Exception", "   at ", "PdfPig", "pdftotext", "version header" })
            Assert.DoesNotContain(raw, shown);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Documents (0)" })).ToBeVisibleAsync();

        await UploadAsync(page, "install.md", "# Installing\n\nRun the installer from the software portal.");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Uploaded and indexed: install.md (1 chunk).");
        await Expect(page.Locator("[data-test=documents] tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-test=documents] .uri")).ToHaveTextAsync("install.md");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_citation_opens_its_document_in_the_portal_at_the_cited_section_and_only_for_readers()
    {
        var (context, page, errors) = await SignedInAsync(system.Learner, width: 390, height: 844);
        await using var _ = context;
        var answer = await AskAsync(page, "How do I connect my laptop to the guest Wi-Fi network?");
        await Expect(answer.Locator(".msg-body.markdown")).ToContainTextAsync("GSA-Guest");
        var cite = answer.Locator("details.cite", new() { Has = page.Locator(".cite-title", new() { HasText = "Networks" }) }).First;
        await cite.Locator("summary").ClickAsync();
        await Expect(cite.Locator(".cite-title")).ToHaveTextAsync("Logging in & Networks");
        var snippet = await cite.Locator(".cite-snippet").TextContentAsync();
        Assert.Contains("GSA-Guest", snippet);
        Assert.DoesNotContain("**", snippet);
        Assert.DoesNotContain("](", snippet);
        await AssertFitsAsync(page, "the chat with an open citation");

        var opened = await page.Context.RunAndWaitForPageAsync(() => cite.GetByRole(AriaRole.Link, new() { Name = "Open in the portal" }).ClickAsync());
        await opened.WaitForLoadStateAsync();
        Assert.EndsWith("#cited", opened.Url);
        await Expect(opened.GetByRole(AriaRole.Heading, new() { Name = "Logging in & Networks", Level = 1 })).ToBeVisibleAsync();
        var cited = opened.Locator("#cited");
        await Expect(cited).ToContainTextAsync("GSA-Guest");
        await Expect(cited.Locator("strong")).ToHaveTextAsync("GSA-Guest"); // Markdown rendered, not shown raw
        await Expect(cited).ToBeInViewportAsync();
        await Expect(opened.Locator("[data-test=source-document] script")).ToHaveCountAsync(0);
        await AssertFitsAsync(opened, "the opened source");
        await BrowserFixture.ScreenshotAsync(opened, "67-source-opened-390");

        // Someone without the knowledge base gets the same "not found" as for a document that does not exist.
        var outsider = await system.Hosts.Portal.CreateAsync(Roles.Learner, name: "Olga Outsider");
        var (outsiderContext, other, _) = await SignedInAsync(outsider);
        await using var __ = outsiderContext;
        var refused = await other.GotoAsync(new Uri(opened.Url).PathAndQuery);
        Assert.Equal(404, refused!.Status);
        await Expect(other.Locator("body")).Not.ToContainTextAsync("GSA-Guest");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_question_with_pasted_markup_is_answered_from_the_documents_and_is_no_knowledge_gap()
    {
        var (context, page, errors) = await SignedInAsync(system.Learner);
        await using var _ = context;
        const string pasted = """<div class="usa-header"><nav class="usa-nav"><ul class="usa-nav__primary"><li><a href="/about/">About</a></li><li><a href="/careers/">Careers</a></li></ul></nav></div><p class="usa-intro">&hellip;What is Tock?</p>""";
        var answer = await AskAsync(page, pasted);
        await Expect(answer.Locator(".msg-body.markdown")).ToContainTextAsync("time tracking");
        await Expect(answer.Locator("details.cite summary.cite-chip").First).ToBeVisibleAsync();
        await Expect(page.Locator(".msg-user").Last).ToHaveTextAsync(pasted); // what was sent is kept as sent

        var (adminContext, admin, _) = await SignedInAsync(null);
        await using var __ = adminContext;
        await admin.GotoAsync("/Admin/Analytics?days=7");
        await Expect(admin.Locator("[data-figure=questions] .stat-value")).Not.ToHaveTextAsync("0");
        Assert.Equal(0, await admin.Locator("[data-test=gaps-table]", new() { HasText = "Tock" }).CountAsync());
        Assert.Empty(errors);
    }

    /// <summary>A fresh browser profile signed in as <paramref name="user"/> (null: the admin).</summary>
    private async Task<(IBrowserContext Context, IPage Page, List<string> Errors)> SignedInAsync(TestUser? user, int width = 1280, int height = 860, bool javaScript = true)
    {
        var (context, page, errors) = await browser.NewPageAsync(system.Hosts.Portal.BaseAddress, width, height, javaScript);
        await SignInAsync(page, user?.Email ?? PortalHost.AdminEmail, user?.Password ?? PortalHost.AdminPassword);
        return (context, page, errors);
    }

    /// <summary>Asks the Onboarding Bot in a new conversation; the answer's list item.</summary>
    private static async Task<ILocator> AskAsync(IPage page, string question)
    {
        await page.GotoAsync("/Chat?bot=onboarding");
        await page.Locator("#chat-message").FillAsync(question);
        await page.Locator("[data-chat-send]").ClickAsync();
        return page.Locator(".msg-assistant").Last;
    }

    private static async Task UploadAsync(IPage page, string name, string markdown)
    {
        await page.GetByLabel("Markdown, text, HTML, DOCX or PDF").SetInputFilesAsync(new FilePayload
        {
            Name = name,
            MimeType = "text/markdown",
            Buffer = System.Text.Encoding.UTF8.GetBytes(markdown),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and index" }).ClickAsync();
    }

    internal static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/Account/SignIn");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator(".user-name")).ToBeAttachedAsync();
    }

    /// <summary>Nothing on the page is wider than the viewport (the page never scrolls sideways); names the widest parts when it is.</summary>
    internal static async Task AssertFitsAsync(IPage page, string what)
    {
        var overflow = await page.EvaluateAsync<string>("""
            () => {
              const width = document.documentElement.clientWidth;
              if (document.documentElement.scrollWidth <= width) return "";
              const wide = [...document.querySelectorAll("body *")]
                .map(e => [e, e.getBoundingClientRect().right])
                .filter(([, right]) => right > width + 1)
                .slice(0, 6)
                .map(([e, right]) => e.tagName.toLowerCase() + (typeof e.className === "string" && e.className ? "." + e.className.trim().split(/\s+/).join(".") : "") + " to " + Math.round(right) + "px");
              return document.documentElement.scrollWidth + "px wide: " + wide.join(", ");
            }
            """);
        Assert.True(overflow.Length == 0, $"{what} at {page.ViewportSize?.Width} px is {overflow}");
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
