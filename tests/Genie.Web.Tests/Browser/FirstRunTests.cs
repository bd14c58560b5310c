using System.Text;
using System.Text.RegularExpressions;
using Genie.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Genie.Web.Tests.Browser;

/// <summary>
/// The first admin on a new installation (issue 18): a checklist that leads through the setup and ticks
/// each step as it is done, and an installation behind a public URL with a path whose e-mailed links work.
/// </summary>
public sealed class FirstRunTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private ChatSystem _hosts = null!;

    public async Task InitializeAsync() => _hosts = await ChatSystem.StartAsync();

    public async Task DisposeAsync() => await _hosts.DisposeAsync();

    [Fact]
    public async Task The_first_admin_is_led_through_the_setup_and_each_step_is_ticked_when_done()
    {
        var (context, admin, errors) = await browser.NewPageAsync(_hosts.Portal.BaseAddress);
        await using var _ = context;
        await NewUserTests.SignInAsync(admin, PortalHost.AdminEmail, PortalHost.AdminPassword);
        var checklist = admin.Locator("[data-test=setup-checklist]");
        await Expect(checklist).ToContainTextAsync("0 of 5 done");
        await Expect(admin.Locator("[data-test=no-bots]")).Not.ToContainTextAsync("An administrator assigns");
        await Expect(admin.Locator("[data-test=no-bots]")).ToContainTextAsync("You assign the Onboarding and Learning bots");
        await BrowserFixture.ScreenshotAsync(admin, "70-first-run-checklist");
        await admin.GotoAsync("/Chat");
        await Expect(admin.Locator("[data-test=no-bots]")).Not.ToContainTextAsync("An administrator assigns");
        await admin.GotoAsync("/");

        await Step(admin, "knowledge-base").GetByRole(AriaRole.Link).ClickAsync();
        await admin.GetByLabel("Name").FillAsync("Employee handbook");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create knowledge base" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Employee handbook", Level = 1 })).ToBeVisibleAsync();
        await admin.GotoAsync("/");
        await Expect(Step(admin, "knowledge-base")).ToHaveAttributeAsync("data-done", "true");
        await Expect(Step(admin, "documents")).ToHaveAttributeAsync("data-done", "false");

        await Step(admin, "documents").GetByRole(AriaRole.Link).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Employee handbook", Level = 1 })).ToBeVisibleAsync();
        await admin.GetByLabel("Markdown, text, HTML, DOCX or PDF").SetInputFilesAsync(new FilePayload
        {
            Name = "badges.md", MimeType = "text/markdown", Buffer = Encoding.UTF8.GetBytes(ChatSystem.BadgesMarkdown),
        });
        await admin.GetByRole(AriaRole.Button, new() { Name = "Upload and index" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("Uploaded and indexed: badges.md");
        await admin.GotoAsync("/");
        await Expect(Step(admin, "documents")).ToHaveAttributeAsync("data-done", "true");

        await Step(admin, "readers").GetByRole(AriaRole.Link).ClickAsync();
        await admin.GetByLabel("learners").CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save readers" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("Readers updated");
        await admin.GotoAsync("/");
        await Expect(Step(admin, "readers")).ToHaveAttributeAsync("data-done", "true");

        await Step(admin, "bots").GetByRole(AriaRole.Link).ClickAsync();
        await admin.GetByLabel("Onboarding Bot for every learner").CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save role assignments" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("Role assignments saved");
        await admin.GotoAsync("/");
        await Expect(checklist).ToContainTextAsync("4 of 5 done");
        await Expect(Step(admin, "people")).ToHaveAttributeAsync("data-done", "false");

        await Step(admin, "people").GetByRole(AriaRole.Link).ClickAsync();
        await admin.GetByLabel("Full name").FillAsync("Lena Learner");
        await admin.GetByLabel("Work email").FillAsync("lena@genie.test");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add user and send invitation" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Lena Learner" })).ToBeVisibleAsync();
        await admin.GotoAsync("/");
        await Expect(checklist).ToHaveCountAsync(0); // all done: the list gives way to the page
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Links_in_e_mails_use_the_public_url_and_the_portal_works_under_its_path()
    {
        await using var portal = await PortalHost.StartAsync(new Dictionary<string, string?> { [PublicUrl.Key] = "https://genie.example.test/mentor/" });
        var (context, admin, errors) = await browser.NewPageAsync(portal.BaseAddress);
        await using var _ = context;
        await admin.GotoAsync("/mentor/");
        await Expect(admin).ToHaveURLAsync(new Regex("/mentor/Account/SignIn"));
        await admin.GetByLabel("Email").FillAsync(PortalHost.AdminEmail);
        await admin.GetByLabel("Password").FillAsync(PortalHost.AdminPassword);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(admin).ToHaveURLAsync(new Regex("/mentor/$"));
        await Expect(admin.Locator("link[rel=stylesheet]")).ToHaveAttributeAsync("href", new Regex("^/mentor/css/site.css"));
        await admin.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Users", Exact = true }).ClickAsync();
        await admin.GetByRole(AriaRole.Link, new() { Name = "Add a user" }).ClickAsync();
        await Expect(admin).ToHaveURLAsync(new Regex("/mentor/Dashboard/Users/Manage/Create"));
        await admin.GetByLabel("Full name").FillAsync("Rita Remote");
        await admin.GetByLabel("Work email").FillAsync("rita@genie.test");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add user and send invitation" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Rita Remote" })).ToBeVisibleAsync();
        var link = (await admin.Locator("[data-test=invitation-link]").TextContentAsync())!.Trim();
        Assert.StartsWith("https://genie.example.test/mentor/Account/Invitation?token=", link);

        // The proxy forwards /mentor/… unchanged: the link, opened through it, works.
        var (learnerContext, page, learnerErrors) = await browser.NewPageAsync(portal.BaseAddress, width: 390, height: 844);
        await using var __ = learnerContext;
        await page.GotoAsync(link.Replace("https://genie.example.test", portal.BaseAddress.ToString().TrimEnd('/')));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome, Rita Remote" })).ToBeVisibleAsync();
        await page.GetByLabel("New password").FillAsync("rita's own secret phrase");
        await page.GetByLabel("Repeat the password").FillAsync("rita's own secret phrase");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set password and sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/mentor/$"));
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Welcome to Genie Mentor, Rita Remote");
        Assert.Empty(errors);
        Assert.Empty(learnerErrors);
    }

    private static ILocator Step(IPage page, string key) => page.Locator($"[data-test=setup-checklist] [data-step={key}]");

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static IPageAssertions Expect(IPage page) => Assertions.Expect(page);
}
