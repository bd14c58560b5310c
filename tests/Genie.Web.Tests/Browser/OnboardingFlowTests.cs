using System.Text.RegularExpressions;
using Genie.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Genie.Web.Tests.Browser;

/// <summary>The first minutes of the portal in a real browser: an admin invites a learner, who joins.</summary>
public sealed class OnboardingFlowTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private PortalHost _host = null!;

    public async Task InitializeAsync() => _host = await PortalHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Admin_invites_a_learner_who_joins_with_the_link()
    {
        var (adminContext, admin, adminErrors) = await browser.NewPageAsync(_host.BaseAddress);
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
        await Nav(admin, "System health").ClickAsync();
        await Expect(admin.Locator("[data-service=web]")).ToHaveAttributeAsync("data-state", "serving");
        await BrowserFixture.ScreenshotAsync(admin, "07-system-health");

        // The learner opens the link in their own browser and chooses a password.
        var (learnerContext, learner, learnerErrors) = await browser.NewPageAsync(_host.BaseAddress, width: 390, height: 844);
        await using var __ = learnerContext;
        await learner.GotoAsync(link);
        await Expect(learner.GetByRole(AriaRole.Heading, new() { Name = "Welcome, Lena Learner" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(learner, "08-invitation-mobile");
        await learner.GetByLabel("New password").FillAsync("lena's own secret phrase");
        await learner.GetByLabel("Repeat the password").FillAsync("lena's own secret phrase");
        await learner.GetByRole(AriaRole.Button, new() { Name = "Set password and sign in" }).ClickAsync();
        await Expect(learner.GetByRole(AriaRole.Status)).ToContainTextAsync("Welcome to Genie Mentor, Lena Learner");
        await Expect(learner.Locator("[data-bot=onboarding]")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(learner, "09-learner-home-mobile");

        // The menu opens on a phone, and admin pages stay closed to a learner.
        await learner.GetByRole(AriaRole.Button, new() { Name = "Menu" }).ClickAsync();
        await Expect(Nav(learner, "Access tokens")).ToBeVisibleAsync();
        Assert.Equal(0, await Nav(learner, "Users").CountAsync());
        Assert.Empty(learnerErrors); // no CSP violation, no failed asset, no script error so far
        var forbidden = await learner.GotoAsync("/Admin/Settings");
        Assert.Equal(403, forbidden!.Status);
        await BrowserFixture.ScreenshotAsync(learner, "10-learner-forbidden");

        // The link worked once.
        var (otherContext, other, _) = await browser.NewPageAsync(_host.BaseAddress);
        await using var ___ = otherContext;
        await other.GotoAsync(link);
        await Expect(other.Locator("[data-test=invitation-used]")).ToBeVisibleAsync();

        Assert.Empty(adminErrors);
    }

    private static ILocator Nav(IPage page, string name) =>
        page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = name, Exact = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static IPageAssertions Expect(IPage page) => Assertions.Expect(page);
}
