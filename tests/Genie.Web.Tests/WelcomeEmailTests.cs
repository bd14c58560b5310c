using System.Net;
using Genie.ServiceDefaults.Auth;
using Genie.Testing;
using Genie.Testing.Hosts;
using Genie.Web.Notifications;
using Genie.Web.Tests.Infrastructure;

namespace Genie.Web.Tests;

/// <summary>
/// Welcome emails through a real SMTP conversation with a listener on loopback. Slack is deployed with this portal
/// but unreachable, which must cost the e-mail nothing.
/// </summary>
public sealed class WelcomeEmailTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly int _smtpPort = FreePort.Next();
    private readonly CapturedLogs _logs = new();
    private PortalHost _host = null!;

    public async Task InitializeAsync() => _host = await PortalHost.StartAsync(new Dictionary<string, string?>
    {
        ["Genie:Smtp:Host"] = "127.0.0.1",
        ["Genie:Smtp:Port"] = _smtpPort.ToString(),
        ["Genie:Smtp:From"] = "genie@genie.test",
        ["Genie:Smtp:RetryDelay"] = "00:00:01",
        ["Genie:Smtp:PollInterval"] = "00:00:00.200",
        ["Genie:Smtp:Timeout"] = "00:00:05",
        ["services:slack:grpc:0"] = $"http://127.0.0.1:{FreePort.Next()}", // nothing answers there
    }, _logs);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Creating_a_user_emails_a_working_invitation_link()
    {
        await using var smtp = TestSmtpServer.Start(_smtpPort);
        using var admin = await _host.SignedInAdminAsync();
        var email = $"newhire-{Guid.NewGuid():N}@genie.test";
        var created = await admin.PostFormAsync("/Dashboard/Users/Manage/Create", new { Email = email, DisplayName = "New Hire", Role = Roles.Learner });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);

        var mail = await smtp.WaitForMessageAsync(m => m.To.Contains(email), Patience);
        Assert.Equal("genie@genie.test", mail.From);
        Assert.Equal("Welcome to Genie Mentor", mail.Header("Subject"));
        Assert.Contains("Hi New Hire", mail.Body());
        var link = mail.InvitationLink();

        // The admin sees the same link in the portal, and the delivery as sent.
        var (_, page) = await admin.GetPageAsync(created.Headers.Location!.OriginalString);
        Assert.Equal(link, page.QuerySelector("[data-test=invitation-link]")!.TextContent.Trim());
        await WaitUntilAsync(async () => (await admin.GetPageAsync(created.Headers.Location!.OriginalString)).Document
            .QuerySelector("[data-status=sent]") is not null);

        // And the link works.
        using var newHire = _host.CreateClient();
        var accepted = await newHire.PostFormAsync(new Uri(link).PathAndQuery, new { Password = "welcome aboard 2024", ConfirmPassword = "welcome aboard 2024" });
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
    }

    [Fact]
    public async Task With_the_server_down_the_failure_is_shown_and_a_retry_delivers_it_later()
    {
        using var admin = await _host.SignedInAdminAsync();
        var email = $"later-{Guid.NewGuid():N}@genie.test";
        var created = await admin.PostFormAsync("/Dashboard/Users/Manage/Create", new { Email = email, DisplayName = "Later Larry", Role = Roles.Learner });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var userPage = created.Headers.Location!.OriginalString;

        // Nothing listens on the SMTP port: the attempt fails and the admin sees why.
        await WaitUntilAsync(async () => (await admin.GetPageAsync(userPage)).Document.QuerySelector("[data-test=notification-error]") is not null);
        var (_, failed) = await admin.GetPageAsync(userPage);
        Assert.NotNull(failed.QuerySelector("[data-status=retrying]"));
        Assert.NotNull(failed.QuerySelector("[data-test=invitation-link]")); // still shareable by hand
        var (_, list) = await admin.GetPageAsync("/Admin/Notifications");
        Assert.Contains(email, list.QuerySelector("[data-test=notifications-table]")!.TextContent);
        var (_, overview) = await admin.GetPageAsync("/Dashboard");
        Assert.NotNull(overview.QuerySelector("[data-test=notification-attention]"));

        // The server comes up; the dispatcher's backoff retry delivers the same message.
        await using var smtp = TestSmtpServer.Start(_smtpPort);
        var mail = await smtp.WaitForMessageAsync(m => m.To.Contains(email), Patience);
        Assert.Contains("Later Larry", mail.Body());
        await WaitUntilAsync(async () => (await admin.GetPageAsync(userPage)).Document.QuerySelector("[data-status=sent]") is not null);
        var user = await _host.Get<Identity.UserStore>().FindByEmailAsync(email);
        var notification = (await _host.Get<NotificationStore>().ForUserAsync(user!.Id)).Single();
        Assert.Equal(NotificationStatus.Sent, notification.Status);
        Assert.True(notification.Attempts >= 2);
    }

    [Fact]
    public async Task With_Slack_unreachable_the_user_is_created_the_email_is_sent_and_the_failure_is_logged_without_secrets()
    {
        await using var smtp = TestSmtpServer.Start(_smtpPort);
        using var admin = await _host.SignedInAdminAsync();
        var email = $"slackless-{Guid.NewGuid():N}@genie.test";

        var created = await admin.PostFormAsync("/Dashboard/Users/Manage/Create", new { Email = email, DisplayName = "Sam Slackless", Role = Roles.Learner });

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Contains("Hi Sam Slackless", (await smtp.WaitForMessageAsync(m => m.To.Contains(email), Patience)).Body());
        await WaitUntilAsync(() => Task.FromResult(_logs.Lines.Any(l => l.Contains($"Sending the welcome for {email} to Slack failed"))));
        var signingKey = _host.App.Configuration[AuthOptions.SigningKeyKey]!;
        // A JWT starts with its encoded {"alg":…} header.
        Assert.All(_logs.Lines, l => Assert.False(l.Contains(signingKey) || l.Contains("Bearer ") || l.Contains("eyJhbGci"), l));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("The condition did not become true in time.");
            await Task.Delay(100);
        }
    }
}
