using System.Net;
using Genie.Contracts.Lms.V1;
using Genie.ServiceDefaults.Auth;
using Genie.Testing;
using Genie.Testing.Hosts;
using Genie.Web.Tests.Infrastructure;

namespace Genie.Web.Tests;

/// <summary>
/// The Reminders section of /Preferences against a real LmsBridge: quiet hours, time zone and the Slack choice
/// round-trip; bad values are explained and nothing is saved; each person changes only their own settings.
/// </summary>
public sealed class ReminderPreferencesTests(ReminderPreferencesTests.Fixture fixture) : IClassFixture<ReminderPreferencesTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public LmsBridgeTestHost Lms { get; private set; } = null!;
        public PortalHost Portal { get; private set; } = null!;

        /// <summary>A portal whose LmsBridge address answers nothing.</summary>
        public PortalHost PortalWithoutLms { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Lms = await LmsBridgeTestHost.StartAsync(connectTalentLms: false);
            Portal = await PortalHost.StartAsync(Lms.ClientSettings);
            PortalWithoutLms = await PortalHost.StartAsync(new Dictionary<string, string?> { ["services:lmsbridge:grpc:0"] = $"http://127.0.0.1:{FreePort.Next()}" });
        }

        public async Task DisposeAsync()
        {
            await PortalWithoutLms.DisposeAsync();
            await Portal.DisposeAsync();
            await Lms.DisposeAsync();
        }
    }

    private const string Page = "/Preferences";
    private const string Save = "/Preferences?handler=Reminders";

    [Fact]
    public async Task Quiet_hours_time_zone_and_the_Slack_choice_round_trip_through_LmsBridge()
    {
        var learner = await fixture.Portal.CreateAsync(Roles.Learner);
        using var browser = await fixture.Portal.SignedInClientAsync(learner);
        var (_, before) = await browser.GetPageAsync(Page);
        Assert.Equal("UTC", before.QuerySelector("select[name='Reminders.TimeZone'] option[selected]")!.GetAttribute("value"));
        Assert.False(before.QuerySelector("input[name='Reminders.Slack'][type=checkbox]")!.HasAttribute("checked"));

        var saved = await browser.PostFormAsync(Page, Form("22:00", "07:30", "Europe/Athens", slack: true, slackShown: false), Save);

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var stored = await PreferencesOf(learner.Email);
        Assert.Equal(("22:00", "07:30", "Europe/Athens", true, false), (stored.QuietHoursStart, stored.QuietHoursEnd, stored.TimeZone, stored.Slack, stored.Quiet));
        var (_, after) = await browser.GetPageAsync(Page);
        Assert.Equal("22:00", after.QuerySelector("input[name='Reminders.QuietHoursStart']")!.GetAttribute("value"));
        Assert.Equal("07:30", after.QuerySelector("input[name='Reminders.QuietHoursEnd']")!.GetAttribute("value"));
        Assert.Equal("Europe/Athens", after.QuerySelector("select[name='Reminders.TimeZone'] option[selected]")!.GetAttribute("value"));
        Assert.True(after.QuerySelector("input[name='Reminders.Slack'][type=checkbox]")!.HasAttribute("checked"));

        // Unticking the box turns Slack off again and clearing both times removes the quiet hours.
        await browser.PostFormAsync(Page, Form("", "", "Europe/Athens", slack: false, slackShown: true), Save);
        stored = await PreferencesOf(learner.Email);
        Assert.Equal(("", "", false), (stored.QuietHoursStart, stored.QuietHoursEnd, stored.Slack));
    }

    [Fact]
    public async Task An_unknown_time_zone_or_half_of_the_quiet_hours_is_explained_and_nothing_is_saved()
    {
        var learner = await fixture.Portal.CreateAsync(Roles.Learner);
        using var browser = await fixture.Portal.SignedInClientAsync(learner);
        await browser.PostFormAsync(Page, Form("21:00", "06:00", "America/Chicago", slack: false, slackShown: false), Save);
        var kept = await PreferencesOf(learner.Email);

        var badZone = await browser.PostFormAsync(Page, Form("23:00", "05:00", "Mars/Olympus_Mons", slack: true, slackShown: false), Save);
        var halfHours = await browser.PostFormAsync(Page, Form("23:00", "", "Europe/Athens", slack: true, slackShown: false), Save);
        var badTime = await browser.PostFormAsync(Page, Form("25:99", "05:00", "Europe/Athens", slack: true, slackShown: false), Save);

        Assert.Equal(HttpStatusCode.OK, badZone.StatusCode);
        var zonePage = PortalBrowser.Parse(await badZone.Content.ReadAsStringAsync());
        Assert.Contains("\"Mars/Olympus_Mons\" is not a time zone we know", zonePage.QuerySelector("[data-test=reminders-form]")!.TextContent);
        Assert.Equal("23:00", zonePage.QuerySelector("input[name='Reminders.QuietHoursStart']")!.GetAttribute("value")); // what was typed stays
        Assert.Contains("both a start and an end", PortalBrowser.Parse(await halfHours.Content.ReadAsStringAsync()).QuerySelector("[data-test=reminders-form]")!.TextContent);
        Assert.Contains("Enter the start as a time of day", PortalBrowser.Parse(await badTime.Content.ReadAsStringAsync()).QuerySelector("[data-test=reminders-form]")!.TextContent);
        Assert.Equal(kept, await PreferencesOf(learner.Email));
    }

    [Fact]
    public async Task Saving_the_page_keeps_a_Slack_choice_made_in_Slack_after_the_page_was_shown()
    {
        var learner = await fixture.Portal.CreateAsync(Roles.Learner);
        using var browser = await fixture.Portal.SignedInClientAsync(learner);
        var (_, shown) = await browser.GetPageAsync(Page);
        Assert.Equal("False", shown.QuerySelector("input[name='Reminders.SlackShown']")!.GetAttribute("value"));

        // Meanwhile, in Slack: /genie reminders slack.
        await fixture.Lms.Client(Roles.Learner, learner.Email).SetSlackRemindersAsync(new SetSlackRemindersRequest { Slack = true });
        await browser.PostFormAsync(Page, Form("20:00", "08:00", "Asia/Tokyo", slack: false, slackShown: false), Save);

        var stored = await PreferencesOf(learner.Email);
        Assert.Equal(("20:00", "Asia/Tokyo", true), (stored.QuietHoursStart, stored.TimeZone, stored.Slack));
    }

    [Fact]
    public async Task A_learner_changes_only_their_own_reminder_settings()
    {
        var ann = await fixture.Portal.CreateAsync(Roles.Learner);
        var bob = await fixture.Portal.CreateAsync(Roles.Learner);
        var bobs = new ReminderPreferences { QuietHoursStart = "18:00", QuietHoursEnd = "09:00", TimeZone = "America/New_York", Slack = false };
        await fixture.Lms.Client(Roles.Learner, bob.Email).SetReminderPreferencesAsync(bobs);
        using var browser = await fixture.Portal.SignedInClientAsync(ann);

        // Naming Bob in the post changes nothing: who is saving comes from Ann's sign-in.
        var saved = await browser.PostFormAsync(Page,
            Form("12:00", "13:00", "Europe/Lisbon", slack: true, slackShown: false).Append(new("Email", bob.Email)).Append(new("Reminders.Email", bob.Email)), Save);

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(bobs, await PreferencesOf(bob.Email));
        Assert.Equal("Europe/Lisbon", (await PreferencesOf(ann.Email)).TimeZone);
    }

    [Fact]
    public async Task Without_LmsBridge_the_section_says_so_and_the_rest_of_the_page_works()
    {
        var learner = await fixture.PortalWithoutLms.CreateAsync(Roles.Learner);
        using var browser = await fixture.PortalWithoutLms.SignedInClientAsync(learner);

        var (response, page) = await browser.GetPageAsync(Page);
        var saved = await browser.PostFormAsync(Page, Form("22:00", "07:00", "Europe/Athens", slack: false, slackShown: false), Save);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("The reminder service is not available right now.", page.QuerySelector("[data-test=reminders-error]")!.TextContent.Trim());
        Assert.Null(page.QuerySelector("[data-test=reminders-form]"));
        Assert.NotNull(page.QuerySelector("[data-test=preferences-form]"));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Contains("not available right now", PortalBrowser.Parse(await saved.Content.ReadAsStringAsync()).QuerySelector("[data-test=reminders-problems]")!.TextContent);
    }

    private static IEnumerable<KeyValuePair<string, string>> Form(string start, string end, string zone, bool slack, bool slackShown) =>
    [
        new("Reminders.QuietHoursStart", start),
        new("Reminders.QuietHoursEnd", end),
        new("Reminders.TimeZone", zone),
        new("Reminders.Slack", slack ? "true" : "false"),
        new("Reminders.SlackShown", slackShown ? "true" : "false"),
    ];

    private async Task<ReminderPreferences> PreferencesOf(string email) =>
        await fixture.Lms.Client(Roles.Learner, email).GetReminderPreferencesAsync(new GetReminderPreferencesRequest());
}
