using Genie.Slack.Commands;
using Genie.Testing.FakeSlack;

namespace Genie.Slack.Tests;

/// <summary>The Learning Bot in Slack: <c>/genie next</c>, <c>/genie progress</c> and DMs, answered from LmsBridge.</summary>
public sealed class LearningBotTests(SlackSystem system) : IClassFixture<SlackSystem>
{
    private FakeSlackServer Slack => system.FakeSlack;

    [Fact]
    public async Task Genie_next_names_the_learners_next_unit_privately()
    {
        var (slackId, unitName) = await EnrolledLearnerAsync();

        var ack = await Slack.SendEnvelopeAsync("slash_commands", FakeSlackServer.SlashCommand(slackId, "D" + slackId, "/genie", "next"));
        await SlackSystem.WaitUntilAsync(() => Slack.EphemeralsFor(slackId).Any(t => t.Contains(unitName)), "the next unit");

        Assert.Equal("ephemeral", (string?)ack["payload"]?["response_type"]);
        var reply = Slack.EphemeralsFor(slackId).Single(t => t.Contains(unitName));
        Assert.Contains("*Unit 2 — " + unitName + "*", reply); // Markdown bold became mrkdwn bold
    }

    [Fact]
    public async Task Genie_progress_reports_the_course_and_help_explains_the_commands()
    {
        var (slackId, _, course, _) = await system.AddLearnerAsync(["Say hello", "Set up your tools"], completed: 1);

        await Slack.SendEnvelopeAsync("slash_commands", FakeSlackServer.SlashCommand(slackId, "C0GENERAL", "/genie", "progress"));
        await Slack.SendEnvelopeAsync("slash_commands", FakeSlackServer.SlashCommand(slackId, "C0GENERAL", "/genie", ""));
        await SlackSystem.WaitUntilAsync(() => Slack.EphemeralsFor(slackId).Count >= 2, "two replies");

        Assert.Contains(Slack.EphemeralsFor(slackId), t => t.Contains(course));
        Assert.Contains(SlashCommands.HelpText, Slack.EphemeralsFor(slackId));
    }

    [Fact]
    public async Task A_DM_asking_what_to_do_next_is_answered_by_the_Learning_Bot_in_its_thread()
    {
        var (slackId, unitName) = await EnrolledLearnerAsync();

        var ev = await system.SendEventAsync(Slack.DirectMessage(slackId, "what should I do next?"));
        var answer = await system.FinalAnswerAsync("D" + slackId, (string)ev["ts"]!);

        Assert.Contains(unitName, answer.Rendered);
        Assert.Contains("bot=learning", answer.Blocks!.ToJsonString());
    }

    /// <summary>A learner half-way into the first unit of three: "Set up your tools" comes next.</summary>
    private async Task<(string SlackId, string NextUnit)> EnrolledLearnerAsync()
    {
        var learner = await system.AddLearnerAsync(["Say hello", "Set up your tools", "Ship something"], completed: 1);
        return (learner.SlackId, learner.Units[1]);
    }
}
