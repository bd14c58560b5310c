using System.Text;
using System.Text.RegularExpressions;
using Genie.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Genie.Web.Tests.Browser;

/// <summary>
/// The first day with the portal in a real browser, over the real Retrieval and Agent: an admin invites a
/// learner, creates a knowledge base, uploads a Markdown page and grants it to them; the learner joins with
/// the link, asks, gets a cited answer, rates it and finds the conversation; the admin sees it in the
/// analytics and the feedback review.
/// </summary>
public sealed class OnboardingFlowTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Question = "How long does it take to get my building badge?";
    private ChatSystem _hosts = null!;

    public async Task InitializeAsync() => _hosts = await ChatSystem.StartAsync();

    public async Task DisposeAsync() => await _hosts.DisposeAsync();

    [Fact]
    public async Task Admin_sets_up_a_learner_and_a_knowledge_base_and_the_learner_gets_a_cited_answer()
    {
        var portal = _hosts.Portal.BaseAddress;
        var (adminContext, admin, adminErrors) = await browser.NewPageAsync(portal);
        await using var _ = adminContext;

        // Sign in with the keyboard only: the email field has focus, Tab to the password, Enter submits.
        await admin.GotoAsync("/");
        await Expect(admin).ToHaveURLAsync(new Regex("/Account/SignIn"));
        await BrowserFixture.ScreenshotAsync(admin, "01-sign-in");
        await admin.Keyboard.TypeAsync(PortalHost.AdminEmail);
        await admin.Keyboard.PressAsync("Tab");
        await admin.Keyboard.TypeAsync(PortalHost.AdminPassword);
        await admin.Keyboard.PressAsync("Enter");
        await Expect(admin.Locator(".user-name")).ToHaveTextAsync("Ada Admin");

        await Nav(admin, "Overview").ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(admin, "02-dashboard-overview");

        // Give every learner the Onboarding Bot.
        await Nav(admin, "Bot assignments").ClickAsync();
        await admin.GetByLabel("Onboarding Bot for every learner").CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save role assignments" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("Role assignments saved");
        await BrowserFixture.ScreenshotAsync(admin, "03-bot-assignments");

        // Add the learner.
        await Nav(admin, "Users").ClickAsync();
        await admin.GetByRole(AriaRole.Link, new() { Name = "Add a user" }).ClickAsync();
        await admin.GetByLabel("Full name").FillAsync("Lena Learner");
        await admin.GetByLabel("Work email").FillAsync("lena@genie.test");
        await BrowserFixture.ScreenshotAsync(admin, "04-add-user");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add user and send invitation" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Lena Learner" })).ToBeVisibleAsync();
        var link = (await admin.Locator("[data-test=invitation-link]").TextContentAsync())!.Trim();
        Assert.Contains("/Account/Invitation?token=", link);
        await BrowserFixture.ScreenshotAsync(admin, "05-user-invitation");

        await Nav(admin, "Users").ClickAsync();
        await Expect(admin.Locator("[data-test=users-table]")).ToContainTextAsync("lena@genie.test");
        await BrowserFixture.ScreenshotAsync(admin, "06-users");

        // A knowledge base with one Markdown page, readable by Lena.
        await Nav(admin, "Knowledge bases").ClickAsync();
        await admin.GetByLabel("Name").FillAsync("Employee handbook");
        await admin.GetByLabel("Description").FillAsync("Badges, leave and the first week");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create knowledge base" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("Knowledge base \"Employee handbook\" created");
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Employee handbook", Level = 1 })).ToBeVisibleAsync();
        await admin.GetByLabel("Markdown, text, HTML, DOCX or PDF").SetInputFilesAsync(new FilePayload
        {
            Name = "badges.md",
            MimeType = "text/markdown",
            Buffer = Encoding.UTF8.GetBytes(ChatSystem.BadgesMarkdown),
        });
        await admin.GetByRole(AriaRole.Button, new() { Name = "Upload and index" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("Uploaded and indexed: badges.md");
        await Expect(admin.Locator("[data-test=documents] [data-test=document-title]")).ToHaveTextAsync("Building badges");
        await admin.GetByLabel("Add a person by e-mail").FillAsync("lena@genie.test");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save readers" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("Readers updated");
        await Expect(admin.Locator("[data-test=grants-form]")).ToContainTextAsync("lena@genie.test");
        await BrowserFixture.ScreenshotAsync(admin, "07-knowledge-base");
        await Nav(admin, "Knowledge bases").ClickAsync();
        await Expect(admin.Locator("[data-test=kb-table]")).ToContainTextAsync("1 person");
        await BrowserFixture.ScreenshotAsync(admin, "08-knowledge-bases");

        await Nav(admin, "System health").ClickAsync();
        await Expect(admin.Locator("[data-service=web]")).ToHaveAttributeAsync("data-state", "serving");
        await Expect(admin.Locator("[data-service=agent]")).ToHaveAttributeAsync("data-state", "serving");
        await BrowserFixture.ScreenshotAsync(admin, "09-system-health");

        // Lena opens the link on her phone and chooses a password.
        var (learnerContext, learner, learnerErrors) = await browser.NewPageAsync(portal, width: 390, height: 844);
        await using var __ = learnerContext;
        await learner.GotoAsync(link);
        await Expect(learner.GetByRole(AriaRole.Heading, new() { Name = "Welcome, Lena Learner" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(learner, "10-invitation-mobile");
        await learner.GetByLabel("New password").FillAsync("lena's own secret phrase");
        await learner.GetByLabel("Repeat the password").FillAsync("lena's own secret phrase");
        await learner.GetByRole(AriaRole.Button, new() { Name = "Set password and sign in" }).ClickAsync();
        await Expect(learner.GetByRole(AriaRole.Status)).ToContainTextAsync("Welcome to Genie Mentor, Lena Learner");
        await Expect(learner.Locator("[data-bot=onboarding]")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(learner, "11-learner-home-mobile");

        // The menu opens on a phone, and admin pages stay closed to a learner.
        await learner.GetByRole(AriaRole.Button, new() { Name = "Menu" }).ClickAsync();
        await Expect(Nav(learner, "Access tokens")).ToBeVisibleAsync();
        Assert.Equal(0, await Nav(learner, "Users").CountAsync());
        Assert.Empty(learnerErrors); // no CSP violation, no failed asset, no script error so far
        var forbidden = await learner.GotoAsync("/Admin/Analytics");
        Assert.Equal(403, forbidden!.Status);
        await BrowserFixture.ScreenshotAsync(learner, "12-learner-forbidden");

        // The link worked once.
        var (otherContext, other, _) = await browser.NewPageAsync(portal);
        await using var ___ = otherContext;
        await other.GotoAsync(link);
        await Expect(other.Locator("[data-test=invitation-used]")).ToBeVisibleAsync();

        // At her desk, Lena signs in with her new password and asks the Onboarding Bot.
        var (deskContext, desk, deskErrors) = await browser.NewPageAsync(portal);
        await using var ____ = deskContext;
        await desk.GotoAsync("/");
        await desk.Keyboard.TypeAsync("lena@genie.test");
        await desk.Keyboard.PressAsync("Tab");
        await desk.Keyboard.TypeAsync("lena's own secret phrase");
        await desk.Keyboard.PressAsync("Enter");
        await desk.Locator("[data-test=open-chat]").First.ClickAsync();
        await Expect(desk).ToHaveURLAsync(new Regex("/Chat\\?bot=onboarding"));
        await desk.Locator("#chat-message").FillAsync(Question);
        await desk.Locator("[data-chat-send]").ClickAsync();
        var answer = desk.Locator(".msg-assistant").Last;
        await Expect(answer.Locator(".msg-body.markdown")).ToContainTextAsync("two business days");
        await Expect(desk).ToHaveURLAsync(new Regex("c="));
        var chip = answer.Locator("details.cite summary.cite-chip").First;
        await chip.ClickAsync();
        await Expect(answer.Locator("details.cite .cite-title").First).ToHaveTextAsync("Building badges");
        await Expect(answer.Locator("details.cite .cite-snippet mark").First).ToHaveTextAsync(new Regex("(?i)^(building|badge)$"));
        // The new conversation joins the list as it starts, without a reload.
        await Expect(desk.Locator("[data-test=conversations] li.active")).ToContainTextAsync(Question[..20]);
        await BrowserFixture.ScreenshotAsync(desk, "20-chat-answer-with-citation");

        var thumbsUp = answer.Locator("[data-test=thumbs-up]");
        await thumbsUp.ClickAsync();
        await Expect(thumbsUp).ToHaveAttributeAsync("aria-pressed", "true");
        await desk.ReloadAsync();
        await Expect(desk.Locator("[data-test=conversations] li")).ToHaveCountAsync(1);
        await Expect(desk.Locator("[data-test=conversations] li")).ToContainTextAsync(Question[..20]);
        await Expect(desk.Locator(".msg-assistant [data-test=thumbs-up]").Last).ToHaveAttributeAsync("aria-pressed", "true");
        await BrowserFixture.ScreenshotAsync(desk, "21-chat-conversation-list");

        // The admin sees the question in the analytics and the rating in the feedback review.
        await Nav(admin, "Analytics").ClickAsync();
        await Expect(admin.Locator("[data-figure=questions] .stat-value")).ToHaveTextAsync("1");
        await Expect(admin.Locator("[data-figure=active-learners] .stat-value")).ToHaveTextAsync("1");
        await Expect(admin.Locator("[data-figure=helpful] .stat-value")).ToHaveTextAsync("100%");
        await Expect(admin.Locator("[data-chart=questions-per-day] g.chart-column")).ToHaveCountAsync(30);
        await BrowserFixture.ScreenshotAsync(admin, "40-analytics");
        await admin.SetViewportSizeAsync(390, 844);
        await Expect(admin.Locator("[data-chart=questions-per-day]")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(admin, "42-analytics-mobile");
        await admin.SetViewportSizeAsync(1280, 860);
        await Nav(admin, "Feedback").ClickAsync();
        var review = admin.Locator("[data-test=feedback-list] > li");
        await Expect(review).ToHaveCountAsync(1);
        await Expect(review.Locator("[data-test=person]")).ToContainTextAsync("Lena Learner");
        await Expect(review.Locator("[data-test=question]")).ToHaveTextAsync(Question);
        await BrowserFixture.ScreenshotAsync(admin, "41-feedback");

        Assert.Empty(deskErrors);
        Assert.Empty(adminErrors);
    }

    private static ILocator Nav(IPage page, string name) =>
        page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = name, Exact = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static IPageAssertions Expect(IPage page) => Assertions.Expect(page);
}
