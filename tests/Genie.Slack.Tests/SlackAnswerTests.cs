using System.Net;
using System.Text.Json.Nodes;
using Genie.Contracts.Agent.V1;
using Genie.ServiceDefaults.Auth;
using Genie.Slack.Answering;
using Genie.Testing.FakeSlack;
using Genie.Testing.Hosts;
using Npgsql;

namespace Genie.Slack.Tests;

/// <summary>Both bots' answers in Slack, end to end: real Retrieval, Agent, Web and Slack adapter; a fake Slack.</summary>
public sealed class SlackAnswerTests(SlackSystem system) : IClassFixture<SlackSystem>
{
    private FakeSlackServer Slack => system.FakeSlack;

    [Fact]
    public async Task A_direct_message_gets_a_threaded_cited_answer_that_streams_into_its_placeholder()
    {
        var (genieId, slackId) = await system.AddPersonAsync();
        await system.AddHandbookAsync(genieId);

        var ev = await system.SendEventAsync(Slack.DirectMessage(slackId, "How do I get my building badge?"));
        var answer = await system.FinalAnswerAsync("D" + slackId, (string)ev["ts"]!);

        Assert.Contains("security desk", answer.Rendered);
        Assert.Contains("*Sources*", answer.Rendered);
        Assert.Contains("Building badges", answer.Rendered);
        Assert.Contains("Getting your badge", answer.Rendered); // the heading path
        Assert.Contains("Continue in the portal", answer.Rendered);
        var portalButton = answer.Blocks!.OfType<JsonObject>().Where(b => (string?)b["type"] == "actions")
            .SelectMany(b => b["elements"]!.AsArray().OfType<JsonObject>()).Single(e => (string?)e["action_id"] == "open_portal");
        Assert.StartsWith(system.PortalUrl + "/Chat?bot=onboarding&c=", (string)portalButton["url"]!);
        // One placeholder, replaced in place: the thread holds a single bot message.
        Assert.Single(Slack.Replies("D" + slackId, (string)ev["ts"]!));
        var post = Slack.CallsTo("chat.postMessage").Single(c => (string?)c.Body["thread_ts"] == (string)ev["ts"]!);
        Assert.Contains("Looking through the docs", post.Body.ToJsonString());
        Assert.True(answer.Updates >= 1);
    }

    [Fact]
    public async Task A_mention_in_a_channel_is_answered_in_a_thread_under_it()
    {
        var (genieId, slackId) = await system.AddPersonAsync();
        await system.AddHandbookAsync(genieId);

        var ev = await system.SendEventAsync(Slack.Mention(slackId, "C0GENERAL", "who issues the building badge?"));
        var answer = await system.FinalAnswerAsync("C0GENERAL", (string)ev["ts"]!);

        Assert.Contains("security desk", answer.Rendered);
        Assert.Equal((string)ev["ts"]!, answer.ThreadTs);
    }

    [Fact]
    public async Task A_follow_up_in_the_thread_continues_the_same_conversation()
    {
        var (genieId, slackId) = await system.AddPersonAsync();
        await system.AddHandbookAsync(genieId);
        var first = await system.SendEventAsync(Slack.DirectMessage(slackId, "How do I get my building badge?"));
        var thread = (string)first["ts"]!;
        await system.FinalAnswerAsync("D" + slackId, thread);

        await system.SendEventAsync(Slack.DirectMessage(slackId, "what do I need to bring?", threadTs: thread));
        var second = await system.FinalAnswerAsync("D" + slackId, thread, index: 1);

        Assert.Contains("photo ID", second.Rendered);
        var conversations = await system.Agent.Client.ListConversationsAsync(new ListConversationsRequest(), system.Agent.As(genieId.ToString()));
        var conversation = Assert.Single(conversations.Conversations);
        Assert.Equal(4, conversation.MessageCount);
    }

    [Fact]
    public async Task Someone_without_a_Genie_account_gets_a_polite_private_reply_and_no_answer()
    {
        Slack.AddUser("U0STRANGER", "stranger@elsewhere.test");

        var ev = await system.SendEventAsync(Slack.DirectMessage("U0STRANGER", "How do I get my building badge?"));
        await SlackSystem.WaitUntilAsync(() => Slack.EphemeralsFor("U0STRANGER").Count > 0, "the ephemeral reply");

        var reply = Slack.EphemeralsFor("U0STRANGER")[0];
        Assert.Contains("stranger@elsewhere.test", reply);
        Assert.Contains("Ask your Genie admin", reply);
        Assert.Empty(Slack.Replies("DU0STRANGER", (string)ev["ts"]!));
    }

    [Fact]
    public async Task A_learner_never_gets_a_chunk_of_a_knowledge_base_not_granted_to_them()
    {
        var (genieId, slackId) = await system.AddPersonAsync();
        var (boardMember, _) = await system.AddPersonAsync(Roles.Admin);
        await system.AddHandbookAsync(genieId);
        await system.AddSecretsAsync(boardMember);

        var ev = await system.SendEventAsync(Slack.DirectMessage(slackId, "What is the codename of the falcon company acquisition?"));
        var answer = await system.FinalAnswerAsync("D" + slackId, (string)ev["ts"]!);

        Assert.DoesNotContain("Nightjar", answer.Rendered);
        Assert.DoesNotContain("Merger plans", answer.Rendered);
        Assert.Contains(AnswerBlocks.NotCoveredText, answer.Rendered);
    }

    [Fact]
    public async Task The_same_event_delivered_twice_over_both_ways_in_is_answered_once()
    {
        var (genieId, slackId) = await system.AddPersonAsync();
        await system.AddHandbookAsync(genieId);
        var callback = Slack.DirectMessage(slackId, "How do I get my building badge?");
        var thread = (string)callback["event"]!["ts"]!;

        await Slack.SendEnvelopeAsync("events_api", callback);
        await system.FinalAnswerAsync("D" + slackId, thread);
        using var http = new HttpClient();
        var retry = await http.SendAsync(FakeSlackServer.SignedRequest(Events, callback.ToJsonString(), "application/json", retryNum: 1));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        await Slack.SendEnvelopeAsync("events_api", callback);

        // A later question in the same DM is answered; by then a second answer to the first would have been posted too.
        var later = await system.SendEventAsync(Slack.DirectMessage(slackId, "who issues the building badge?"));
        await system.FinalAnswerAsync("D" + slackId, (string)later["ts"]!);
        Assert.Single(Slack.Replies("D" + slackId, thread));
    }

    [Fact]
    public async Task Bad_signatures_and_stale_timestamps_are_refused_with_401_and_nothing_is_stored()
    {
        var (_, slackId) = await system.AddPersonAsync();
        var forged = Slack.DirectMessage(slackId, "forged question");
        var stale = Slack.DirectMessage(slackId, "replayed question");
        using var http = new HttpClient();

        var wrongSecret = await http.SendAsync(FakeSlackServer.SignedRequest(Events, forged.ToJsonString(), "application/json", secret: "not-the-signing-secret"));
        var old = await http.SendAsync(FakeSlackServer.SignedRequest(Events, stale.ToJsonString(), "application/json",
            timestamp: DateTimeOffset.UtcNow.AddMinutes(-6).ToUnixTimeSeconds()));
        var unsigned = await http.PostAsync(Events, new StringContent(forged.ToJsonString()));

        Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        await using var db = new NpgsqlConnection(system.Slack.App.Configuration["ConnectionStrings:genie"]);
        await db.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM slack.events WHERE event_id = ANY(@ids)", db);
        count.Parameters.AddWithValue("ids", new[] { (string)forged["event_id"]!, (string)stale["event_id"]! });
        Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
        Assert.DoesNotContain(Slack.Calls, c => c.Body.ToJsonString().Contains("D" + slackId));
    }

    [Fact]
    public async Task Url_verification_is_answered_with_the_challenge()
    {
        using var http = new HttpClient();
        var body = """{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}""";
        var response = await http.SendAsync(FakeSlackServer.SignedRequest(Events, body, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["challenge"]!);
    }

    [Fact]
    public async Task An_event_over_the_HTTP_Events_API_is_acknowledged_and_answered()
    {
        var (genieId, slackId) = await system.AddPersonAsync();
        await system.AddHandbookAsync(genieId);
        var callback = Slack.DirectMessage(slackId, "How do I get my building badge?");
        using var http = new HttpClient();

        var response = await http.SendAsync(FakeSlackServer.SignedRequest(Events, callback.ToJsonString(), "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await system.FinalAnswerAsync("D" + slackId, (string)callback["event"]!["ts"]!);
        Assert.Contains("security desk", answer.Rendered);
    }

    [Fact]
    public async Task A_rate_limited_update_is_retried_after_Retry_After()
    {
        var (genieId, slackId) = await system.AddPersonAsync();
        await system.AddHandbookAsync(genieId);
        Slack.RateLimit("chat.update", retryAfterSeconds: 1);

        var ev = await system.SendEventAsync(Slack.DirectMessage(slackId, "How do I get my building badge?"));
        var answer = await system.FinalAnswerAsync("D" + slackId, (string)ev["ts"]!);

        Assert.Contains("security desk", answer.Rendered);
        var updates = Slack.CallsTo("chat.update").ToList();
        var limited = updates.FindIndex(c => c.Status == 429);
        Assert.True(limited >= 0, "the fake answered 429 once");
        var retried = updates.Skip(limited + 1).First(c => c.Body["ts"]!.ToJsonString() == updates[limited].Body["ts"]!.ToJsonString());
        Assert.True(retried.At - updates[limited].At >= TimeSpan.FromSeconds(0.95), $"retried after {(retried.At - updates[limited].At).TotalSeconds:0.00} s");
    }

    [Fact]
    public async Task Thumbs_up_stores_feedback_the_admin_sees()
    {
        var (genieId, slackId) = await system.AddPersonAsync();
        await system.AddHandbookAsync(genieId);
        var ev = await system.SendEventAsync(Slack.DirectMessage(slackId, "How do I get my building badge?"));
        var answer = await system.FinalAnswerAsync("D" + slackId, (string)ev["ts"]!);

        await Slack.SendEnvelopeAsync("interactive", FakeSlackServer.ButtonClick(slackId, answer, AnswerBlocks.FeedbackUp));
        await SlackSystem.WaitUntilAsync(() => Slack.EphemeralsFor(slackId).Any(t => t.Contains("Thanks")), "the thank-you");

        var feedback = await system.Agent.Client.ListFeedbackAsync(new ListFeedbackRequest(), system.Agent.As("admin-1", Roles.Admin));
        var messageId = answer.Blocks!.OfType<JsonObject>().Single(b => (string?)b["type"] == "actions")["elements"]![0]!["value"]!.GetValue<string>();
        Assert.Contains(feedback.Items, f => f.Feedback.MessageId == messageId && f.Feedback.Rating == Rating.Up);

        // and on the portal's feedback review page, as the admin sees it
        using var portal = new PortalBrowser(system.Web.HttpAddress);
        Assert.Equal(HttpStatusCode.Redirect, (await portal.SignInAsync(WebTestHost.AdminEmail, WebTestHost.AdminPassword)).StatusCode);
        var (page, review) = await portal.GetPageAsync("/Admin/Feedback");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.NotNull(review.QuerySelector($"li.review[data-message='{messageId}'][data-rating='up']"));
    }

    [Fact]
    public async Task After_a_disconnect_the_adapter_reconnects_and_answers_the_next_event()
    {
        var (genieId, slackId) = await system.AddPersonAsync();
        await system.AddHandbookAsync(genieId);
        var before = Slack.Connections;

        await Slack.SendDisconnectAsync("refresh_requested");
        await Slack.WaitForConnectionsAsync(before + 1);
        var ev = await system.SendEventAsync(Slack.DirectMessage(slackId, "How do I get my building badge?"));

        var answer = await system.FinalAnswerAsync("D" + slackId, (string)ev["ts"]!);
        Assert.Contains("security desk", answer.Rendered);
    }

    [Fact]
    public async Task A_failure_mid_answer_leaves_something_went_wrong_instead_of_the_placeholder()
    {
        var (genieId, slackId) = await system.AddPersonAsync();
        await system.AddHandbookAsync(genieId);
        var first = await system.SendEventAsync(Slack.DirectMessage(slackId, "How do I get my building badge?"));
        var thread = (string)first["ts"]!;
        await system.FinalAnswerAsync("D" + slackId, thread);
        // The conversation this thread continues is deleted in the portal: Agent refuses the follow-up mid-answer.
        var conversations = await system.Agent.Client.ListConversationsAsync(new ListConversationsRequest(), system.Agent.As(genieId.ToString()));
        await system.Agent.Client.DeleteConversationAsync(new DeleteConversationRequest { ConversationId = conversations.Conversations[0].Id }, system.Agent.As(genieId.ToString()));

        await system.SendEventAsync(Slack.DirectMessage(slackId, "and what do I bring?", threadTs: thread));
        var second = await system.FinalAnswerAsync("D" + slackId, thread, index: 1);

        Assert.Equal(AnswerBlocks.FailedText, second.Text);
        Assert.DoesNotContain("Looking through the docs", second.Rendered);
    }

    [Fact]
    public async Task Secrets_never_reach_the_logs()
    {
        var (genieId, slackId) = await system.AddPersonAsync();
        await system.AddHandbookAsync(genieId);
        var ev = await system.SendEventAsync(Slack.DirectMessage(slackId, "How do I get my building badge?"));
        await system.FinalAnswerAsync("D" + slackId, (string)ev["ts"]!);
        using var http = new HttpClient();
        await http.SendAsync(FakeSlackServer.SignedRequest(Events, "{}", "application/json", secret: "wrong"));

        Assert.NotEmpty(system.Logs.Lines);
        foreach (var secret in new[] { FakeSlackServer.BotToken, FakeSlackServer.AppToken, FakeSlackServer.SigningSecret })
            Assert.DoesNotContain(system.Logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
    }

    private Uri Events => new(system.Slack.HttpAddress, "/slack/events");
}
