using System.Net;
using Genie.ServiceDefaults.Auth;
using Genie.Testing;
using Genie.Testing.Hosts;
using Genie.Web.Tests.Infrastructure;

namespace Genie.Web.Tests;

/// <summary>The welcome also goes to Slack when it is deployed; a Slack that cannot be reached costs the new user nothing.</summary>
public sealed class SlackWelcomeTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly int _smtpPort = FreePort.Next();
    private readonly CapturedLogs _logs = new();
    private PortalHost _host = null!;

    public async Task InitializeAsync() => _host = await PortalHost.StartAsync(new Dictionary<string, string?>
    {
        ["Genie:Smtp:Host"] = "127.0.0.1",
        ["Genie:Smtp:Port"] = _smtpPort.ToString(),
        ["Genie:Smtp:From"] = "genie@genie.test",
        ["Genie:Smtp:PollInterval"] = "00:00:00.200",
        ["Genie:Smtp:Timeout"] = "00:00:05",
        // Slack is deployed with this portal, but nothing answers at its address.
        ["services:slack:grpc:0"] = $"http://127.0.0.1:{FreePort.Next()}",
    }, _logs);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task With_Slack_unreachable_the_user_is_created_the_email_is_sent_and_the_failure_is_logged_without_secrets()
    {
        await using var smtp = TestSmtpServer.Start(_smtpPort);
        using var admin = await _host.SignedInAdminAsync();
        var email = $"newhire-{Guid.NewGuid():N}@genie.test";

        var created = await admin.PostFormAsync("/Dashboard/Users/Manage/Create", new { Email = email, DisplayName = "New Hire", Role = Roles.Learner });

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var mail = await smtp.WaitForMessageAsync(m => m.To.Contains(email), Patience);
        Assert.Contains("Hi New Hire", mail.Body());
        var deadline = DateTime.UtcNow + Patience;
        while (!_logs.Lines.Any(l => l.Contains($"Sending the welcome for {email} to Slack failed")))
        {
            Assert.True(DateTime.UtcNow < deadline, "No log line says the Slack welcome failed:\n" + string.Join("\n", _logs.Lines));
            await Task.Delay(100);
        }
        var signingKey = _host.App.Configuration[AuthOptions.SigningKeyKey]!;
        Assert.All(_logs.Lines, l => Assert.False(l.Contains(signingKey) || l.Contains("Bearer ") || l.Contains("eyJhbGci"), l)); // a JWT starts with its encoded {"alg":…} header
    }
}
