using System.Text.Json.Nodes;
using Genie.LmsBridge.Sync;
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

        var ack = await Slack.SendEnvelopeAsync("slash_commands", JsonSerializerNode(FakeSlackServer.SlashCommand(slackId, "D" + slackId, "/genie", "next")));
        await SlackSystem.WaitUntilAsync(() => Slack.EphemeralsFor(slackId).Any(t => t.Contains(unitName)), "the next unit");

        Assert.Equal("ephemeral", (string?)ack["payload"]?["response_type"]);
        var reply = Slack.EphemeralsFor(slackId).Single(t => t.Contains(unitName));
        Assert.Contains("*Unit 2 — " + unitName + "*", reply); // Markdown bold became mrkdwn bold
    }

    [Fact]
    public async Task Genie_progress_reports_the_course_and_help_explains_the_commands()
    {
        var (slackId, _) = await EnrolledLearnerAsync();

        await Slack.SendEnvelopeAsync("slash_commands", JsonSerializerNode(FakeSlackServer.SlashCommand(slackId, "C0GENERAL", "/genie", "progress")));
        await Slack.SendEnvelopeAsync("slash_commands", JsonSerializerNode(FakeSlackServer.SlashCommand(slackId, "C0GENERAL", "/genie", "")));
        await SlackSystem.WaitUntilAsync(() => Slack.EphemeralsFor(slackId).Count >= 2, "two replies");

        Assert.Contains(Slack.EphemeralsFor(slackId), t => t.Contains("Slack Onboarding"));
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

    /// <summary>A Genie learner (also in Slack) enrolled in TalentLMS in a course whose first unit is done.</summary>
    private async Task<(string SlackId, string NextUnit)> EnrolledLearnerAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var email = $"learner-{suffix}@genie.test";
        var (_, slackId) = await system.AddPersonAsync(email: email);
        var lms = system.LmsBridge.TalentLms.Data;
        var learner = lms.AddUser(email, "Lea", "Learner");
        var course = lms.AddCourse("Slack Onboarding " + suffix, "SO-" + suffix);
        var first = lms.AddUnit(course, "Say hello");
        var next = lms.AddUnit(course, "Set up your tools " + suffix);
        lms.AddUnit(course, "Ship something");
        lms.Enroll(learner, course);
        lms.CompleteUnit(learner, first, DateTimeOffset.UtcNow.AddDays(-1));
        var sync = await system.LmsBridge.SyncAsync();
        Assert.Equal(SyncStates.Succeeded, sync.State);
        return (slackId, next.Name);
    }

    private static JsonObject JsonSerializerNode(Dictionary<string, string> fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)JsonValue.Create(f.Value))));
}
