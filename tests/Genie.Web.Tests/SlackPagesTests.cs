using System.Net;
using Genie.Contracts.Retrieval.V1;
using Genie.Contracts.Slack.V1;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Genie.Testing;
using Genie.Testing.Hosts;
using Genie.Web.Tests.Infrastructure;

namespace Genie.Web.Tests;

/// <summary>
/// Admin → Slack against a real Slack adapter (its own database, real gRPC) talking to a fake Slack: write-only
/// secrets, the connection test in plain words, channel settings; 403 for anyone but an admin; a plain message
/// when the Slack service cannot be reached.
/// </summary>
public sealed class SlackPagesTests(SlackPagesTests.Fixture fixture) : IClassFixture<SlackPagesTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public SlackSystem System { get; private set; } = null!;
        public PortalHost Portal { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            System = await SlackSystem.StartAsync();
            Portal = await PortalHost.StartAsync(TestSettings.Merge(System.Retrieval.ClientSettings, new Dictionary<string, string?>
            {
                ["services:slack:grpc:0"] = System.Slack.GrpcAddress.ToString(),
            }));
        }

        public async Task DisposeAsync()
        {
            await Portal.DisposeAsync();
            await System.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_admin_saves_a_bot_token_sees_only_its_last_four_characters_and_the_test_uses_it()
    {
        var token = "xoxb-2024-reinstalled-" + Guid.NewGuid().ToString("N")[..12] + "abcd";
        fixture.System.FakeSlack.UseBotToken(token); // the app was reinstalled: only the new token works
        using var admin = await fixture.Portal.SignedInAdminAsync();

        var save = await admin.PostFormAsync("/Admin/Slack", [new("Secrets.BotToken", token)], "/Admin/Slack?handler=Save");
        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        var (response, page) = await admin.GetPageAsync("/Admin/Slack");
        var test = await admin.PostFormAsync("/Admin/Slack", [], "/Admin/Slack?handler=Test");
        var tested = PortalBrowser.Parse(await test.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(token, page.DocumentElement.OuterHtml);
        Assert.Contains("Set …abcd.", page.QuerySelector("[data-test=BotToken-state]")!.TextContent);
        Assert.Equal("", page.QuerySelector("input[name='Secrets.BotToken']")!.GetAttribute("value"));
        Assert.Contains("Slack settings saved.", page.DocumentElement.TextContent);
        var result = tested.QuerySelector("[data-test=test-result]")!;
        Assert.Equal("true", result.GetAttribute("data-ok"));
        Assert.Contains("Connected to the Fake workspace as genie.", result.TextContent.ReplaceLineEndings(" ").Replace("  ", " "));
        Assert.DoesNotContain(token, tested.DocumentElement.OuterHtml);
    }

    [Fact]
    public async Task Testing_a_token_Slack_refuses_says_so_in_plain_words_and_a_malformed_one_is_refused_at_its_field()
    {
        using var admin = await fixture.Portal.SignedInAdminAsync();
        const string wrong = "xoxb-0000-wrong-token-never-valid";

        var test = await admin.PostFormAsync("/Admin/Slack", [new("Secrets.BotToken", wrong)], "/Admin/Slack?handler=Test");
        var tested = PortalBrowser.Parse(await test.Content.ReadAsStringAsync());
        var save = await admin.PostFormAsync("/Admin/Slack", [new("Secrets.AppToken", "xoxb-not-an-app-token-123456")], "/Admin/Slack?handler=Save");
        var saved = PortalBrowser.Parse(await save.Content.ReadAsStringAsync());

        var result = tested.QuerySelector("[data-test=test-result]")!;
        Assert.Equal("false", result.GetAttribute("data-ok"));
        Assert.Equal("Slack refused the bot token (invalid_auth).", result.TextContent.Trim());
        Assert.DoesNotContain(wrong, tested.DocumentElement.OuterHtml);
        Assert.Equal(HttpStatusCode.OK, save.StatusCode);
        Assert.Contains("Must start with \"xapp-\"", saved.DocumentElement.TextContent);
        Assert.DoesNotContain("xoxb-not-an-app-token-123456", saved.DocumentElement.OuterHtml);
    }

    [Fact]
    public async Task An_admin_adds_edits_and_removes_a_channel_with_knowledge_bases_from_Retrieval()
    {
        var kb = await fixture.System.Retrieval.CreateKbAsync("Sales playbook " + Guid.NewGuid().ToString("N")[..6], new Grants { Roles = { Roles.Learner } });
        using var admin = await fixture.Portal.SignedInAdminAsync();
        var (_, form) = await admin.GetPageAsync("/Admin/Slack");
        Assert.NotNull(form.QuerySelector($"input[name='Channel.KnowledgeBaseIds'][value='{kb.Id}']"));

        var add = await admin.PostFormAsync("/Admin/Slack",
            [new("Channel.ChannelId", "C0SALES"), new("Channel.ChannelName", "sales"), new("Channel.KnowledgeBaseIds", kb.Id), new("Channel.Silent", "true")],
            "/Admin/Slack?handler=SaveChannel");
        Assert.Equal(HttpStatusCode.Redirect, add.StatusCode);
        var (_, listed) = await admin.GetPageAsync("/Admin/Slack");
        var row = listed.QuerySelector("[data-test=channels] tr[data-channel=C0SALES]")!;
        Assert.Contains("#sales (C0SALES)", row.TextContent);
        Assert.Contains(kb.Name, row.TextContent);
        Assert.Contains("Silent", row.TextContent);

        var (_, editing) = await admin.GetPageAsync("/Admin/Slack?edit=C0SALES");
        Assert.Equal("C0SALES", editing.QuerySelector("input[name='Channel.ChannelId']")!.GetAttribute("value"));
        Assert.True(editing.QuerySelector($"input[name='Channel.KnowledgeBaseIds'][value='{kb.Id}']")!.HasAttribute("checked"));

        var bad = await admin.PostFormAsync("/Admin/Slack", [new("Channel.ChannelId", "#sales")], "/Admin/Slack?handler=SaveChannel");
        Assert.Contains("Must be a Slack channel id", PortalBrowser.Parse(await bad.Content.ReadAsStringAsync()).DocumentElement.TextContent);

        var remove = await admin.PostFormAsync("/Admin/Slack", [], "/Admin/Slack?handler=RemoveChannel&channelId=C0SALES");
        Assert.Equal(HttpStatusCode.Redirect, remove.StatusCode);
        var (_, after) = await admin.GetPageAsync("/Admin/Slack");
        Assert.Null(after.QuerySelector("[data-test=channels] tr[data-channel=C0SALES]"));
    }

    [Theory]
    [InlineData(Roles.Learner)]
    [InlineData(Roles.Instructor)]
    public async Task Anyone_but_an_admin_gets_403(string role)
    {
        var user = await fixture.Portal.CreateAsync(role);
        using var client = await fixture.Portal.SignedInClientAsync(user);

        var page = await client.GetAsync("/Admin/Slack");
        var post = await client.PostRawAsync("/Admin/Slack?handler=Save", [new("Secrets.BotToken", "xoxb-from-a-learner-0123456zzzz")]);

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        var settings = await new SlackAdminService.SlackAdminServiceClient(fixture.System.Slack.CreateChannel())
            .GetSlackSettingsAsync(new GetSlackSettingsRequest(), BearerToken.Options(fixture.System.Slack.IssueToken(Roles.Admin)));
        Assert.NotEqual("zzzz", settings.BotToken.Last4);
    }

    [Fact]
    public async Task When_the_Slack_service_cannot_be_reached_the_page_says_so_plainly()
    {
        await using var portal = await PortalHost.StartAsync(TestSettings.Merge(fixture.System.Retrieval.ClientSettings, new Dictionary<string, string?>
        {
            ["services:slack:grpc:0"] = "http://127.0.0.1:9", // nothing listens on the discard port
        }));
        using var admin = await portal.SignedInAdminAsync();

        var (response, page) = await admin.GetPageAsync("/Admin/Slack");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var error = page.QuerySelector("[data-test=load-error]")!.TextContent;
        Assert.StartsWith("The Slack service is not available right now", error);
        Assert.DoesNotContain("   at ", page.DocumentElement.TextContent); // no stack trace
        Assert.NotNull(page.QuerySelector("input[name='Secrets.BotToken']")); // the page still renders
    }
}
