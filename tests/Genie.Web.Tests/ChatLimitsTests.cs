using System.Net;
using Genie.ServiceDefaults.Auth;
using Genie.Testing;
using Genie.Testing.Hosts;
using Genie.Web.Bots;
using Genie.Web.Tests.Infrastructure;

namespace Genie.Web.Tests;

/// <summary>The portal's chat stream past its per-person limit: 429 with Retry-After at once, the admitted answer still completes.</summary>
public sealed class ChatLimitsTests
{
    [Fact]
    public async Task A_second_chat_stream_of_one_person_gets_429_with_retry_after_while_the_first_completes()
    {
        var search = new GatedSearch();
        await using var agent = await AgentTestHost.StartAsync(search);
        await using var portal = await PortalHost.StartAsync(TestSettings.Merge(agent.ClientSettings, new Dictionary<string, string?>
        {
            ["Genie:Limits:PerUser"] = "1",
            ["Genie:Limits:RetryAfterSeconds"] = "5",
        }));
        var learner = await portal.CreateAsync(Roles.Learner);
        await portal.Get<BotAssignments>().AssignAsync(Bot.OnboardingId, learner.Id, null);
        using var client = await portal.SignedInClientAsync(learner);

        var first = client.SendAsync(await client.ChatRequestAsync(Bot.OnboardingId, "Where do I collect my badge?"));
        await search.WaitForSearchesAsync(1);

        // The chat page itself still loads (reads are never limited); asking again is refused.
        var second = await client.SendAsync(await client.ChatRequestAsync(Bot.OnboardingId, "And when?"));
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), second.Headers.RetryAfter?.Delta);
        Assert.Contains("Try again in 5 s", await second.Content.ReadAsStringAsync());

        search.Open();
        var answered = await first;
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        var events = SseParser.Parse(await answered.Content.ReadAsStringAsync());
        Assert.Contains(events, e => e.Name == "completed");
    }
}
