using System.Net;
using System.Text;
using Genie.Contracts.Agent.V1;
using Genie.Contracts.Retrieval.V1;
using Genie.Contracts.Slack.V1;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Genie.Slack.Answering;
using Genie.Testing;
using Genie.Testing.FakeSlack;
using Grpc.Core;
using Npgsql;

namespace Genie.Slack.Tests;

/// <summary>
/// Admin → Slack's service side against the running adapter: secrets saved encrypted and never returned, the
/// connection test, settings that take effect without a restart, and per-channel settings applied to questions.
/// </summary>
public sealed class SlackSettingsTests(SlackSystem system) : IClassFixture<SlackSystem>
{
    private FakeSlackServer Slack => system.FakeSlack;

    private SlackAdminService.SlackAdminServiceClient Admin => new(system.Slack.CreateChannel());

    private CallOptions As(string role) => BearerToken.Options(system.Slack.IssueToken(role, "admin-" + role), TimeSpan.FromSeconds(60));

    [Fact]
    public async Task Secrets_are_stored_encrypted_and_only_set_and_the_last_four_characters_come_back()
    {
        var before = await Admin.GetSlackSettingsAsync(new GetSlackSettingsRequest(), As(Roles.Admin));
        Assert.Equal(SecretSource.Configuration, before.BotToken.Source);

        // The same bot token (the fake accepts only it) and a new signing secret, both saved in the portal.
        const string signing = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
        var saved = await Admin.SetSlackSettingsAsync(
            new SetSlackSettingsRequest { BotToken = FakeSlackServer.BotToken, SigningSecret = signing }, As(Roles.Admin));

        Assert.True(saved.BotToken.Set);
        Assert.Equal(SecretSource.Portal, saved.BotToken.Source);
        Assert.Equal(FakeSlackServer.BotToken[^4..], saved.BotToken.Last4);
        Assert.Equal(SecretSource.Portal, saved.SigningSecret.Source);
        Assert.Equal(before.AppToken, saved.AppToken); // left out: unchanged
        var got = await Admin.GetSlackSettingsAsync(new GetSlackSettingsRequest(), As(Roles.Admin));
        foreach (var reply in new[] { saved.ToString(), got.ToString() })
        {
            Assert.DoesNotContain(FakeSlackServer.BotToken, reply);
            Assert.DoesNotContain(signing, reply);
        }
        Assert.Equal(SlackMode.SocketMode, got.Mode);

        await using var db = new NpgsqlConnection(system.Slack.App.Configuration["ConnectionStrings:genie"]);
        await db.OpenAsync();
        await using var read = new NpgsqlCommand("SELECT bot_token, signing_secret FROM slack.settings", db);
        await using var row = await read.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());
        var stored = Convert.ToHexString((byte[])row[0]) + Convert.ToHexString((byte[])row[1]);
        Assert.DoesNotContain(Convert.ToHexString(Encoding.UTF8.GetBytes(FakeSlackServer.BotToken[..12])), stored);
        Assert.DoesNotContain(Convert.ToHexString(Encoding.UTF8.GetBytes(signing[..12])), stored);
        await row.DisposeAsync();

        // The new signing secret is the one checked, at once: the configured one no longer signs valid requests.
        using var http = new HttpClient();
        var events = new Uri(system.Slack.HttpAddress, "/slack/events");
        var challenge = """{"type":"url_verification","challenge":"c-123"}""";
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(FakeSlackServer.SignedRequest(events, challenge, "application/json", secret: signing))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(FakeSlackServer.SignedRequest(events, challenge, "application/json"))).StatusCode);

        Assert.DoesNotContain(system.Logs.Lines, line => line.Contains(signing, StringComparison.Ordinal) || line.Contains(FakeSlackServer.BotToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Test_connection_names_the_workspace_and_bot_or_says_Slack_refused_the_token()
    {
        var ok = await Admin.TestSlackConnectionAsync(new TestSlackConnectionRequest(), As(Roles.Admin));
        var refused = await Admin.TestSlackConnectionAsync(new TestSlackConnectionRequest { BotToken = "xoxb-1234-5678-not-a-real-token" }, As(Roles.Admin));

        Assert.True(ok.Ok, ok.Error);
        Assert.Equal("Fake", ok.Team);
        Assert.Equal("genie", ok.BotName);
        Assert.False(refused.Ok);
        Assert.Equal("Slack refused the bot token (invalid_auth).", refused.Error);
    }

    [Fact]
    public async Task A_new_app_token_reconnects_Socket_Mode_with_it_and_the_next_event_is_answered()
    {
        var (genieId, slackId) = await system.AddPersonAsync();
        await system.AddHandbookAsync(genieId);
        var newToken = "xapp-1-A0FAKE-rotated-" + Guid.NewGuid().ToString("N")[..12];
        Slack.UseAppToken(newToken); // regenerated in Slack: the old token no longer opens connections
        var connections = Slack.Connections;

        await Admin.SetSlackSettingsAsync(new SetSlackSettingsRequest { AppToken = newToken }, As(Roles.Admin));

        await Slack.WaitForConnectionsAsync(connections + 1);
        Assert.Equal(newToken, Slack.CallsTo("apps.connections.open").Last().Token);
        var ev = await system.SendEventAsync(Slack.DirectMessage(slackId, "How do I get my building badge?"));
        var answer = await system.FinalAnswerAsync("D" + slackId, (string)ev["ts"]!);
        Assert.Contains("security desk", answer.Rendered);
        await SlackSystem.WaitUntilAsync(() => Admin.GetSlackSettings(new GetSlackSettingsRequest(), As(Roles.Admin)).SocketConnected, "Socket Mode connected");
        Assert.DoesNotContain(system.Logs.Lines, line => line.Contains(newToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_mention_in_a_silent_channel_gets_no_answer_and_Agent_is_not_asked()
    {
        var (genieId, slackId) = await system.AddPersonAsync();
        await system.AddHandbookAsync(genieId);
        await Admin.SetChannelSettingsAsync(new ChannelSettings { ChannelId = "C0QUIET", ChannelName = "quiet", Silent = true }, As(Roles.Admin));

        var ev = await system.SendEventAsync(Slack.Mention(slackId, "C0QUIET", "who issues the building badge?"));
        await SlackSystem.WaitUntilAsync(() => system.Logs.Lines.Any(l => l.Contains("Not answering in C0QUIET", StringComparison.Ordinal)), "the silent channel to be skipped");

        Assert.Empty(Slack.Replies("C0QUIET", (string)ev["ts"]!));
        Assert.Empty(Slack.EphemeralsFor(slackId));
        var conversations = await system.Agent.Client.ListConversationsAsync(new ListConversationsRequest(), system.Agent.As(genieId.ToString()));
        Assert.Empty(conversations.Conversations);
        // A DM from the same person is still answered: channel settings do not apply to DMs.
        var dm = await system.SendEventAsync(Slack.DirectMessage(slackId, "How do I get my building badge?"));
        Assert.Contains("security desk", (await system.FinalAnswerAsync("D" + slackId, (string)dm["ts"]!)).Rendered);
    }

    [Fact]
    public async Task A_channels_knowledge_bases_narrow_the_search_and_never_widen_it()
    {
        var (genieId, slackId) = await system.AddPersonAsync();
        var (boardMember, _) = await system.AddPersonAsync(Roles.Admin);
        var handbook = await system.Retrieval.CreateKbWithDocumentsAsync("Handbook " + Guid.NewGuid().ToString("N")[..6],
            new Grants { UserIds = { genieId.ToString() } }, [("badges.md", SlackSystem.HandbookMarkdown)]);
        var policies = await system.Retrieval.CreateKbWithDocumentsAsync("Policies " + Guid.NewGuid().ToString("N")[..6],
            new Grants { UserIds = { genieId.ToString() } }, [("parking.md", "# Parking\n\n## Visitor parking\n\nVisitors park on level two of the garage; the badge desk hands out parking passes.\n")]);
        var board = await system.Retrieval.CreateKbWithDocumentsAsync("Board " + Guid.NewGuid().ToString("N")[..6],
            new Grants { UserIds = { boardMember.ToString() } }, [("merger.md", SlackSystem.SecretMarkdown)]);
        await Admin.SetChannelSettingsAsync(new ChannelSettings { ChannelId = "C0PARKING", KnowledgeBaseIds = { policies.Id } }, As(Roles.Admin));
        await Admin.SetChannelSettingsAsync(new ChannelSettings { ChannelId = "C0BOARD", KnowledgeBaseIds = { board.Id } }, As(Roles.Admin));

        // The handbook answers this in a DM, but #parking searches only the policies.
        var narrowed = await system.SendEventAsync(Slack.Mention(slackId, "C0PARKING", "How do I get my building badge?"));
        var narrowedAnswer = await system.FinalAnswerAsync("C0PARKING", (string)narrowed["ts"]!);
        Assert.DoesNotContain("Building badges", narrowedAnswer.Rendered);
        Assert.DoesNotContain("two business days", narrowedAnswer.Rendered);

        // A channel naming a knowledge base the asker may not read gives them nothing of it.
        var widened = await system.SendEventAsync(Slack.Mention(slackId, "C0BOARD", "What is the codename of the falcon company acquisition?"));
        var widenedAnswer = await system.FinalAnswerAsync("C0BOARD", (string)widened["ts"]!);
        Assert.DoesNotContain("Nightjar", widenedAnswer.Rendered);
        Assert.DoesNotContain("Merger plans", widenedAnswer.Rendered);
        Assert.Contains(AnswerBlocks.NotCoveredText, widenedAnswer.Rendered);

        var listed = await Admin.ListChannelSettingsAsync(new ListChannelSettingsRequest(), As(Roles.Admin));
        Assert.Equal([policies.Id], listed.Channels.Single(c => c.ChannelId == "C0PARKING").KnowledgeBaseIds);
        Assert.NotEqual(handbook.Id, policies.Id);
    }

    [Fact]
    public async Task A_channel_naming_a_deleted_knowledge_base_tells_the_asker_to_have_the_settings_fixed()
    {
        var (genieId, slackId) = await system.AddPersonAsync();
        await system.AddHandbookAsync(genieId);
        await Admin.SetChannelSettingsAsync(new ChannelSettings { ChannelId = "C0STALE", KnowledgeBaseIds = { Guid.NewGuid().ToString() } }, As(Roles.Admin));

        var ev = await system.SendEventAsync(Slack.Mention(slackId, "C0STALE", "who issues the building badge?"));

        await SlackSystem.WaitUntilAsync(() => Slack.Replies("C0STALE", (string)ev["ts"]!).Any(m => m.Text == SlackAnswerer.StaleChannelText), "the stale-settings notice");
        Assert.Single(Slack.Replies("C0STALE", (string)ev["ts"]!));
    }

    [Fact]
    public async Task Channels_are_listed_from_Slack_and_removed_settings_fall_back_to_the_defaults()
    {
        Slack.AddChannel("C0LISTED", "general");
        Slack.AddChannel("G0SECRET", "leads", isPrivate: true);
        await Admin.SetChannelSettingsAsync(new ChannelSettings { ChannelId = "C0GONE", Silent = true }, As(Roles.Admin));

        var channels = await Admin.ListSlackChannelsAsync(new ListSlackChannelsRequest(), As(Roles.Admin));
        var removed = await Admin.DeleteChannelSettingsAsync(new DeleteChannelSettingsRequest { ChannelId = "C0GONE" }, As(Roles.Admin));
        var again = await Admin.DeleteChannelSettingsAsync(new DeleteChannelSettingsRequest { ChannelId = "C0GONE" }, As(Roles.Admin));

        Assert.Empty(channels.Error);
        Assert.Contains(channels.Channels, c => c is { Id: "C0LISTED", Name: "general", IsPrivate: false });
        Assert.Contains(channels.Channels, c => c is { Id: "G0SECRET", Name: "leads", IsPrivate: true });
        Assert.True(removed.Deleted);
        Assert.False(again.Deleted);
        Assert.DoesNotContain((await Admin.ListChannelSettingsAsync(new ListChannelSettingsRequest(), As(Roles.Admin))).Channels, c => c.ChannelId == "C0GONE");
    }

    [Theory]
    [InlineData(Roles.Learner)]
    [InlineData(Roles.Instructor)]
    [InlineData(Roles.Service)]
    public async Task Every_rpc_refuses_anyone_but_an_admin(string role)
    {
        var calls = new Func<CallOptions, Task>[]
        {
            o => Admin.GetSlackSettingsAsync(new GetSlackSettingsRequest(), o).ResponseAsync,
            o => Admin.SetSlackSettingsAsync(new SetSlackSettingsRequest { BotToken = "" }, o).ResponseAsync,
            o => Admin.TestSlackConnectionAsync(new TestSlackConnectionRequest(), o).ResponseAsync,
            o => Admin.ListChannelSettingsAsync(new ListChannelSettingsRequest(), o).ResponseAsync,
            o => Admin.SetChannelSettingsAsync(new ChannelSettings { ChannelId = "C0DENIED", Silent = true }, o).ResponseAsync,
            o => Admin.DeleteChannelSettingsAsync(new DeleteChannelSettingsRequest { ChannelId = "C0DENIED" }, o).ResponseAsync,
            o => Admin.ListSlackChannelsAsync(new ListSlackChannelsRequest(), o).ResponseAsync,
        };
        Assert.Equal(SlackAdminService.Descriptor.Methods.Count, calls.Length);
        foreach (var call in calls)
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => call(As(role)));
            Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        }
        var settings = await Admin.GetSlackSettingsAsync(new GetSlackSettingsRequest(), As(Roles.Admin));
        Assert.True(settings.BotToken.Set);
        Assert.DoesNotContain((await Admin.ListChannelSettingsAsync(new ListChannelSettingsRequest(), As(Roles.Admin))).Channels, c => c.ChannelId == "C0DENIED");
    }

    [Theory]
    [InlineData("bot_token", "xoxp-user-token-not-a-bot-token-123")]
    [InlineData("bot_token", "xoxb-short")]
    [InlineData("app_token", "xapp-1-has a space-0123456789")]
    [InlineData("app_token", "xoxb-fake-bot-token-0123456789")]
    [InlineData("signing_secret", "tooshort")]
    [InlineData("signing_secret", "abc\ndef0123456789abcdef0123")]
    public async Task A_malformed_secret_is_refused_naming_its_field_and_nothing_changes(string field, string value)
    {
        var before = await Admin.GetSlackSettingsAsync(new GetSlackSettingsRequest(), As(Roles.Admin));
        var request = new SetSlackSettingsRequest { SigningSecret = "a1b2c3d4e5f60718293a4b5c6d7e8f90" };
        switch (field)
        {
            case "bot_token": request.BotToken = value; break;
            case "app_token": request.AppToken = value; break;
            default: request.SigningSecret = value; break;
        }

        var refused = await Assert.ThrowsAsync<RpcException>(() => Admin.SetSlackSettingsAsync(request, As(Roles.Admin)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.StartsWith(field + ": ", refused.Status.Detail);
        Assert.DoesNotContain(value, refused.Status.Detail);
        Assert.Equal(before, await Admin.GetSlackSettingsAsync(new GetSlackSettingsRequest(), As(Roles.Admin)));
    }

    [Theory]
    [InlineData("channel_id", "D0DIRECT", null)]
    [InlineData("channel_id", "#general", null)]
    [InlineData("knowledge_base_ids[1]", "C0VALID", "not-a-knowledge-base")]
    public async Task A_malformed_channel_setting_is_refused_naming_its_field(string field, string channelId, string? badKnowledgeBase)
    {
        var request = new ChannelSettings { ChannelId = channelId, KnowledgeBaseIds = { Guid.NewGuid().ToString() } };
        if (badKnowledgeBase is not null)
            request.KnowledgeBaseIds.Add(badKnowledgeBase);

        var refused = await Assert.ThrowsAsync<RpcException>(() => Admin.SetChannelSettingsAsync(request, As(Roles.Admin)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.StartsWith(field + ": ", refused.Status.Detail);
        Assert.DoesNotContain((await Admin.ListChannelSettingsAsync(new ListChannelSettingsRequest(), As(Roles.Admin))).Channels, c => c.ChannelId == channelId);
    }
}

/// <summary>An adapter started without any Slack configuration: idle, until an admin saves tokens in the portal.</summary>
public sealed class IdleSlackTests(SlackSystem system) : IClassFixture<SlackSystem>
{
    [Fact]
    public async Task An_idle_adapter_starts_answering_once_tokens_are_saved_without_a_restart()
    {
        await using var fake = await FakeSlackServer.StartAsync();
        var logs = new CapturedLogs();
        await using var idleSlack = await SlackTestHost.StartAsync(TestSettings.Merge(system.BackendSettings, new Dictionary<string, string?>
        {
            ["Genie:Slack:ApiBaseUrl"] = fake.ApiBaseUrl,
            ["Genie:Slack:UpdateInterval"] = "00:00:00.050",
            ["Genie:Slack:ReconnectDelay"] = "00:00:00.100",
            ["Genie:Slack:ReminderInterval"] = "01:00:00",
            ["Logging:LogLevel:Default"] = "Debug",
        }), logs);
        var idle = idleSlack.Host;
        var admin = new SlackAdminService.SlackAdminServiceClient(idle.CreateChannel());
        var asAdmin = BearerToken.Options(idle.IssueToken(Roles.Admin, "admin-1"), TimeSpan.FromSeconds(60));
        using var http = new HttpClient();
        var events = new Uri(idle.HttpAddress, "/slack/events");
        const string challenge = """{"type":"url_verification","challenge":"c-1"}""";

        var before = await admin.GetSlackSettingsAsync(new GetSlackSettingsRequest(), asAdmin);
        Assert.Equal(SlackMode.Idle, before.Mode);
        Assert.False(before.BotToken.Set);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.SendAsync(FakeSlackServer.SignedRequest(events, challenge, "application/json"))).StatusCode);

        await admin.SetSlackSettingsAsync(new SetSlackSettingsRequest
        {
            BotToken = FakeSlackServer.BotToken, AppToken = FakeSlackServer.AppToken, SigningSecret = FakeSlackServer.SigningSecret,
        }, asAdmin);

        await fake.WaitForConnectionsAsync(1);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(FakeSlackServer.SignedRequest(events, challenge, "application/json"))).StatusCode);
        var email = $"idle-{Guid.NewGuid().ToString("N")[..10]}@genie.test";
        var (genieId, slackId) = await system.AddPersonAsync(email: email);
        fake.AddUser(slackId, email);
        await system.AddHandbookAsync(genieId);
        var dm = fake.DirectMessage(slackId, "How do I get my building badge?");
        await fake.SendEnvelopeAsync("events_api", dm);
        var thread = (string)dm["event"]!["ts"]!;
        await SlackSystem.WaitUntilAsync(() => fake.Replies("D" + slackId, thread).Any(SlackSystem.IsFinal), "the answer", TimeSpan.FromSeconds(90));
        Assert.Contains("security desk", fake.Replies("D" + slackId, thread).Single(SlackSystem.IsFinal).Rendered);
        var after = await admin.GetSlackSettingsAsync(new GetSlackSettingsRequest(), asAdmin);
        Assert.Equal(SlackMode.SocketMode, after.Mode);
        Assert.True(after.SocketConnected);
        Assert.Contains(logs.Lines, line => line.Contains("the Slack adapter is idle", StringComparison.Ordinal));
        foreach (var secret in new[] { FakeSlackServer.BotToken, FakeSlackServer.AppToken, FakeSlackServer.SigningSecret })
            Assert.DoesNotContain(logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
    }
}
