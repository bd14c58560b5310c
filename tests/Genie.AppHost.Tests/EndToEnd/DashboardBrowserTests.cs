using Genie.AppHost.Tests.Infrastructure;
using Microsoft.Playwright;
using Npgsql;

namespace Genie.AppHost.Tests.EndToEnd;

/// <summary>
/// The Aspire dashboard in Debian's Chromium (Playwright): signed in with the token URL, every
/// resource is running and healthy, and one chat question asked in the portal shows up as a trace
/// spanning Web → Agent → Retrieval. Screenshots go to the test output's screenshots/ folder.
/// </summary>
[Collection(SharedAppCollection.Name)]
public sealed class DashboardBrowserTests(SharedApp shared) : IAsyncLifetime
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private static readonly string ScreenshotDirectory = Path.Combine(AppContext.BaseDirectory, "screenshots");
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: scripts/install-deps.sh installs it");
        Directory.CreateDirectory(ScreenshotDirectory);
        Assertions.SetDefaultExpectTimeout(60_000); // a loaded machine: the dashboard's grid fills in over its live connection
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    private static async Task ExpectEveryResourceRunningAsync(IPage page)
    {
        // The shared app uses the test cluster's database (an existing server), so there is no postgres resource.
        foreach (var resource in new[] { "genie", "retrieval", "lmsbridge", "agent", "web" })
        {
            var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = resource }).First;
            await Assertions.Expect(row).ToContainTextAsync("Running");
            await Assertions.Expect(row).Not.ToContainTextAsync("Unhealthy");
        }
    }

    [Fact]
    public async Task The_dashboard_shows_every_resource_healthy_and_a_chat_question_traced_from_web_through_agent_to_retrieval()
    {
        await AskOneQuestionInThePortalAsync();

        var page = await NewPageAsync();
        await page.GotoAsync(new Uri(shared.DashboardUrl, $"/login?t={shared.DashboardToken}").ToString());
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExpectEveryResourceRunningAsync(page);
                break;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
                // The dashboard's live connection may break on a loaded machine ("An unhandled error has occurred.
                // Reload"): reload, as a person would. Anything else is a failure.
                if (!await page.GetByText("An unhandled error has occurred").IsVisibleAsync())
                    throw;
                await ScreenshotAsync(page, $"dashboard-error-{attempt}");
                await page.ReloadAsync();
            }
        }
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "ollama" }).First).ToContainTextAsync("models in use"); // the dashboard shows "Built in models in use"
        await ScreenshotAsync(page, "dashboard-resources");

        await page.GotoAsync(new Uri(shared.DashboardUrl, "/traces").ToString());
        // The trace list shows, per trace, the resources its spans came from.
        var chatTrace = page.GetByRole(AriaRole.Row)
            .Filter(new() { HasText = "web" }).Filter(new() { HasText = "agent" }).Filter(new() { HasText = "retrieval" }).First;
        await Assertions.Expect(chatTrace).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await ScreenshotAsync(page, "dashboard-traces");
        for (var attempt = 1; ; attempt++)
        {
            await chatTrace.GetByRole(AriaRole.Gridcell).Nth(1).ClickAsync(); // the trace's name opens its detail
            try
            {
                await page.WaitForURLAsync("**/traces/detail/**", new() { Timeout = 20_000 });
                break;
            }
            catch (TimeoutException) when (attempt < 3)
            {
                // the live grid re-rendered under the click (new traces keep arriving): click the row again
            }
        }
        await Assertions.Expect(page.GetByText("retrieval").First).ToBeVisibleAsync();
        await ScreenshotAsync(page, "dashboard-chat-trace");
    }

    /// <summary>The admin (from the AppHost's settings) gets the onboarding bot and asks it one question in the portal's chat.</summary>
    private async Task AskOneQuestionInThePortalAsync()
    {
        await using (var connection = new NpgsqlConnection(shared.DatabaseConnectionString))
        {
            await connection.OpenAsync();
            await using var assign = new NpgsqlCommand(
                "INSERT INTO portal.bot_assignments (id, bot, role) VALUES (gen_random_uuid(), 'onboarding', 'admin') ON CONFLICT DO NOTHING", connection);
            await assign.ExecuteNonQueryAsync();
        }

        var page = await NewPageAsync(new Uri($"http://localhost:{shared.PortalPort}/"));
        await page.GotoAsync("/Account/SignIn");
        await page.GetByLabel("Email").FillAsync(shared.AdminEmail);
        await page.GetByLabel("Password").FillAsync(shared.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GotoAsync("/Chat?bot=onboarding");
        await page.Locator("#chat-message").FillAsync("Where do I find the security desk?");
        await page.Locator("[data-chat-send]").ClickAsync();
        await Assertions.Expect(page.Locator(".msg-assistant").Last.Locator(".msg-body")).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await Assertions.Expect(page.Locator("[data-chat-send]")).ToBeEnabledAsync(new() { Timeout = 120_000 });
        await ScreenshotAsync(page, "portal-chat");
    }

    private async Task<IPage> NewPageAsync(Uri? baseAddress = null)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress?.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        context.SetDefaultTimeout(60_000);
        return await context.NewPageAsync();
    }

    private static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
