using Microsoft.Extensions.DependencyInjection;
using Genie.Slack.People;
using Genie.Testing.FakeSlack;
using Genie.Web.Bots;
using Npgsql;

namespace Genie.Slack.Tests;

/// <summary>
/// The portal's bot assignments apply in Slack: Web names the user's bots with their token, and a question for a bot
/// they do not have gets a polite private refusal instead of an answer (and never reaches the Agent).
/// </summary>
public sealed class BotAssignmentTests(SlackSystem system) : IClassFixture<SlackSystem>
{
    private FakeSlackServer Slack => system.FakeSlack;

    [Fact]
    public async Task A_learner_without_the_Onboarding_Bot_who_asks_in_a_DM_is_refused_privately_and_the_Agent_is_not_called()
    {
        var (genieId, slackId) = await system.AddPersonAsync(bots: [Bot.LearningId]);
        await system.AddHandbookAsync(genieId);

        var ev = await system.SendEventAsync(Slack.DirectMessage(slackId, "How do I get my building badge?"));
        await SlackSystem.WaitUntilAsync(() => Slack.EphemeralsFor(slackId).Count > 0, "the refusal");

        Assert.Equal(BotAccess.RefusalText("onboarding"), Assert.Single(Slack.EphemeralsFor(slackId)));
        Assert.StartsWith("You don't have the Onboarding Bot; ask your Genie admin", BotAccess.RefusalText("onboarding"));
        Assert.Empty(Slack.Replies("D" + slackId, (string)ev["ts"]!)); // no placeholder, no answer
        Assert.Equal(0L, await AgentConversationsAsync(genieId));
    }

    [Fact]
    public async Task Without_the_Learning_Bot_genie_next_and_learning_DMs_are_refused()
    {
        var (genieId, slackId) = await system.AddPersonAsync(bots: [Bot.OnboardingId]);

        await Slack.SendEnvelopeAsync("slash_commands", FakeSlackServer.SlashCommand(slackId, "C0GENERAL", "/genie", "next"));
        var ev = await system.SendEventAsync(Slack.DirectMessage(slackId, "what should I do next?"));
        await SlackSystem.WaitUntilAsync(() => Slack.EphemeralsFor(slackId).Count >= 2, "two refusals");

        Assert.All(Slack.EphemeralsFor(slackId), text => Assert.Equal(BotAccess.RefusalText("learning"), text));
        Assert.StartsWith("You don't have the Learning Bot", BotAccess.RefusalText("learning"));
        Assert.Empty(Slack.Replies("D" + slackId, (string)ev["ts"]!));
        Assert.Equal(0L, await AgentConversationsAsync(genieId));
    }

    [Fact]
    public async Task Each_bot_answers_whoever_has_it_and_an_assignment_to_the_role_counts()
    {
        var learner = await system.AddLearnerAsync(["Say hello", "Set up your tools"], completed: 1);
        // AddLearnerAsync assigns both bots to the person; this one has the Onboarding Bot only through the role.
        var (genieId, slackId) = await system.AddPersonAsync(role: "instructor", bots: []);
        await system.Portal.Services.GetRequiredService<BotAssignments>().AssignAsync(Bot.OnboardingId, null, "instructor");
        await system.AddHandbookAsync(genieId);

        await Slack.SendEnvelopeAsync("slash_commands", FakeSlackServer.SlashCommand(learner.SlackId, "C0GENERAL", "/genie", "next"));
        var question = await system.SendEventAsync(Slack.DirectMessage(slackId, "How do I get my building badge?"));

        await SlackSystem.WaitUntilAsync(() => Slack.EphemeralsFor(learner.SlackId).Any(t => t.Contains(learner.Units[1])), "the next unit");
        var answer = await system.FinalAnswerAsync("D" + slackId, (string)question["ts"]!);
        Assert.Contains("security desk", answer.Rendered);
        Assert.Empty(Slack.EphemeralsFor(slackId));
    }

    private async Task<long> AgentConversationsAsync(Guid genieId)
    {
        await using var db = new NpgsqlConnection(system.Agent.ConnectionString);
        await db.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM agent.conversations WHERE user_id = @id", db);
        count.Parameters.AddWithValue("id", genieId.ToString());
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
