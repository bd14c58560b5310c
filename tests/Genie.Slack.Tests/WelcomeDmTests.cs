using Microsoft.Extensions.DependencyInjection;
using Genie.ServiceDefaults.Auth;
using Genie.Testing.FakeSlack;
using Genie.Web.Audit;
using Genie.Web.Identity;

namespace Genie.Slack.Tests;

/// <summary>A new portal user who is in the Slack workspace is welcomed there too, by DM, with the portal's link.</summary>
public sealed class WelcomeDmTests(SlackSystem system) : IClassFixture<SlackSystem>
{
    private FakeSlackServer Slack => system.FakeSlack;

    [Fact]
    public async Task Creating_a_user_in_the_portal_sends_a_welcome_DM_to_their_Slack_user_with_the_portal_link()
    {
        system.LinkPortalToSlack();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var email = $"newhire-{suffix}@genie.test";
        var slackId = "UNEW" + suffix.ToUpperInvariant();
        Slack.AddUser(slackId, email);

        var created = await CreateUserAsync(email, "Nina <New> Hire");

        await SlackSystem.WaitUntilAsync(() => Slack.Messages.Any(m => m.Channel == "D" + slackId), "the welcome DM");
        var dm = Assert.Single(Slack.Messages, m => m.Channel == "D" + slackId);
        Assert.Contains("Welcome to Genie Mentor, Nina &lt;New&gt; Hire", dm.Text); // escaped: a name cannot ping or link
        Assert.Contains("<" + new Uri(system.PortalUrl).AbsoluteUri + "|open Genie Mentor>", dm.Text);
        Assert.Contains("/genie next", dm.Text);
        Assert.DoesNotContain(new Uri(created.InvitationLink).Query, dm.Rendered); // the single-use link stays in the e-mail
        Assert.Contains(Slack.CallsTo("users.lookupByEmail"), c => (string?)c.Body["email"] == email);
    }

    [Fact]
    public async Task Someone_not_in_the_Slack_workspace_is_created_all_the_same_and_gets_no_DM()
    {
        system.LinkPortalToSlack();
        var email = $"outsider-{Guid.NewGuid():N}@genie.test";

        var created = await CreateUserAsync(email, "Otto Outsider");

        await SlackSystem.WaitUntilAsync(() => Slack.CallsTo("users.lookupByEmail").Any(c => (string?)c.Body["email"] == email), "the lookup");
        Assert.NotNull(await system.Portal.Services.GetRequiredService<UserStore>().FindByIdAsync(created.UserId));
        Assert.DoesNotContain(Slack.CallsTo("chat.postMessage"), c => c.Body.ToJsonString().Contains("Otto"));
    }

    private async Task<NewUser> CreateUserAsync(string email, string name) =>
        await system.Portal.Services.GetRequiredService<UserAdministration>()
            .CreateAsync(AuditActor.System, "Ada Admin", email, name, Roles.Learner, system.PortalUrl)
        ?? throw new InvalidOperationException(email + " exists");
}
