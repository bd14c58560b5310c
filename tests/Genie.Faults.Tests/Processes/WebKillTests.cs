using System.Net;
using Genie.Faults.Tests.Dependencies;
using Genie.Testing;
using Genie.Testing.Hosts;

namespace Genie.Faults.Tests.Processes;

/// <summary>
/// The portal as its own OS process in front of the Agent, killed with SIGKILL while a signed-in person's chat is in
/// flight: the Agent drops the abandoned turn (nothing half-stored), and the restarted portal keeps the person signed in
/// (its Data Protection keys live in the database) and answers again.
/// </summary>
public sealed class WebKillTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Web_killed_during_a_portal_chat_leaves_no_half_turn_and_comes_back_with_the_session_intact()
    {
        var search = new GatedSearch();
        await using var agent = await AgentTestHost.StartAsync(search);
        var signingKey = agent.ClientSettings[Genie.ServiceDefaults.Auth.AuthOptions.SigningKeyKey]!;
        var database = await (await PostgresCluster.GetSharedAsync()).CreateDatabaseAsync("web_kill");
        var web = LoopbackService.Create("web", database, signingKey, new Dictionary<string, string>
        {
            ["services__agent__grpc__0"] = agent.GrpcAddress.ToString(),
            ["Genie__Admin__Email"] = WebTestHost.AdminEmail,
            ["Genie__Admin__Password"] = WebTestHost.AdminPassword,
            ["Genie__Admin__Name"] = "Ada Admin",
        });
        await using var first = await web.StartAsync(Patience);
        await StoredMessages.CountAsync(database, "insert into portal.bot_assignments (id, bot, role) values (gen_random_uuid(), 'onboarding', 'admin') returning 1");
        using var browser = new PortalBrowser(web.Http);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(WebTestHost.AdminEmail, WebTestHost.AdminPassword)).StatusCode);

        var abandoned = browser.SendAsync(await browser.ChatRequestAsync("onboarding", "Where do I collect my badge?"));
        await search.WaitForSearchesAsync(1); // the portal's call to the Agent is in flight
        await first.KillAsync();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => abandoned);

        await using var restarted = await web.StartAsync(Patience);
        search.Open();
        var (page, _) = await browser.GetPageAsync("/Chat?bot=onboarding");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode); // still signed in: no redirect to the sign-in page
        using var answered = await browser.SendAsync(await browser.ChatRequestAsync("onboarding", "Where do I collect my badge?"));
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Contains("event: completed", await answered.Content.ReadAsStringAsync());

        // The Agent stored the answered turn once, and of the abandoned one nothing, or all of it marked incomplete.
        Assert.Equal(1, await StoredMessages.CountAsync(agent.ConnectionString,
            "select count(*) from agent.messages where role = 'assistant' and not incomplete"));
        Assert.Equal(0, await StoredMessages.CountAsync(agent.ConnectionString,
            "select count(*) from agent.conversations c where c.message_count <> 2 or c.message_count <> (select count(*) from agent.messages m where m.conversation_id = c.id)"));
    }
}
