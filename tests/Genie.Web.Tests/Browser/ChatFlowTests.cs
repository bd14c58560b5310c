using System.Text.RegularExpressions;
using Genie.Contracts.Agent.V1;
using Genie.ServiceDefaults.Auth;
using Grpc.Core;
using Genie.Testing.FakeOllama;
using Genie.Web.Bots;
using Genie.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Genie.Web.Tests.Browser;

/// <summary>
/// The chat when things do not go to plan, in a real browser: the learner stops a long answer (a model
/// that generates slowly, behind the Ollama API), and the Agent goes down and comes back.
/// </summary>
public sealed class ChatFlowTests(BrowserFixture browser, ChatFlowTests.Fixture system)
    : IClassFixture<BrowserFixture>, IClassFixture<ChatFlowTests.Fixture>
{
    private const string Question = "How long does it take to get my building badge?";

    private const string ModelName = "llama3.2";

    /// <summary>A long answer that cites the first source, as a model told to cite would write it.</summary>
    private static readonly string LongAnswer =
        "Your building badge is issued by the security desk within two business days of your start date [1]. "
        + string.Concat(Enumerable.Range(1, 60).Select(i => $"Step {i}: bring a photo ID to the security desk on the ground floor and wait for your name to be called. "));

    public sealed class Fixture : IAsyncLifetime
    {
        public FakeOllamaServer Model { get; private set; } = null!;
        public ChatSystem Hosts { get; private set; } = null!;
        public TestUser Learner { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Model = await FakeOllamaServer.StartAsync(installed: [ModelName]);
            Model.Reply = _ => FakeChatReply.Text(LongAnswer);
            Hosts = await ChatSystem.StartAsync(new Dictionary<string, string?>
            {
                ["Genie:Agent:Bots:onboarding:Provider"] = "ollama",
                ["Genie:Agent:Bots:onboarding:Endpoint"] = Model.Address.ToString(),
                ["Genie:Agent:Bots:onboarding:Model"] = ModelName,
                ["Genie:Agent:Bots:onboarding:TimeoutSeconds"] = "600",
            });
            Learner = await Hosts.Portal.CreateAsync(Roles.Learner, name: "Sam Stopper");
            await Hosts.Portal.Get<BotAssignments>().AssignAsync(Bot.OnboardingId, Learner.Id, null);
            await Hosts.AddHandbookAsync(Learner);
        }

        public async Task DisposeAsync()
        {
            await Hosts.DisposeAsync();
            await Model.DisposeAsync();
        }
    }

    [Fact]
    public async Task Stop_cancels_a_long_answer_and_it_is_kept_marked_incomplete()
    {
        system.Model.WordDelay = TimeSpan.FromMilliseconds(150);
        system.Model.ResetAbandoned();
        var (context, page, errors) = await browser.NewPageAsync(system.Hosts.Portal.BaseAddress);
        await using var _ = context;
        await SignInAndOpenChatAsync(page);

        await page.Locator("#chat-message").FillAsync(Question);
        await page.Locator("[data-chat-send]").ClickAsync();
        var answer = page.Locator(".msg-assistant").Last;
        await Expect(answer.Locator(".msg-streaming")).ToContainTextAsync("security desk");
        var stop = page.GetByRole(AriaRole.Button, new() { Name = "Stop" });
        await Expect(stop).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "30-chat-streaming");
        await stop.ClickAsync();

        await Expect(answer).ToContainTextAsync("Stopped.");
        await Expect(stop).ToBeHiddenAsync();
        await Expect(page.Locator("[data-chat-send]")).ToBeEnabledAsync();
        await system.Model.Abandoned.WaitAsync(TimeSpan.FromSeconds(30)); // the model itself was told to stop
        var conversationId = Regex.Match(page.Url, "c=([0-9a-f-]{36})").Groups[1].Value;
        var stored = await WaitForStoredAnswerAsync(conversationId);
        Assert.True(stored.Incomplete);
        Assert.StartsWith("Your building badge is issued", stored.Content);
        Assert.True(stored.Content.Length < LongAnswer.Length / 2, $"stored {stored.Content.Length} characters");

        await page.ReloadAsync();
        var kept = page.Locator($".msg-assistant[data-message='{stored.Id}']");
        await Expect(kept).ToContainTextAsync("This answer was stopped before it finished.");
        await Expect(kept.Locator(".msg-body")).ToContainTextAsync("security desk");
        await BrowserFixture.ScreenshotAsync(page, "31-chat-stopped");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task With_the_agent_down_the_chat_says_so_and_keeps_the_question_until_it_is_back()
    {
        system.Model.WordDelay = TimeSpan.Zero;
        var (context, page, errors) = await browser.NewPageAsync(system.Hosts.Portal.BaseAddress);
        await using var _ = context;
        await SignInAndOpenChatAsync(page);

        await system.Hosts.Agent.StopAsync();
        try
        {
            await page.Locator("#chat-message").FillAsync(Question);
            await page.Locator("[data-chat-send]").ClickAsync();
            var error = page.Locator("[data-test=chat-error]");
            await Expect(error).ToContainTextAsync("Genie is not available right now");
            await Expect(error).ToContainTextAsync("Your question is back in the box");
            await Expect(error).Not.ToContainTextAsync("127.0.0.1"); // no addresses or transport details for learners
            await Expect(page.Locator("#chat-message")).ToHaveValueAsync(Question);
            await Expect(page.Locator("[data-chat-send]")).ToBeEnabledAsync();
            await BrowserFixture.ScreenshotAsync(page, "32-chat-agent-down");

            await page.ReloadAsync();
            await Expect(page.Locator("[data-test=load-error]")).ToContainTextAsync("Genie is not available right now");
            await Expect(page.Locator("#chat-message")).ToBeEditableAsync();
            await page.Locator("#chat-message").FillAsync(Question);
        }
        finally
        {
            await system.Hosts.Agent.StartAgainAsync();
        }

        await page.Locator("[data-chat-send]").ClickAsync();
        var answer = page.Locator(".msg-assistant").Last;
        await Expect(answer.Locator(".msg-body.markdown")).ToContainTextAsync("two business days");
        await Expect(answer.Locator("details.cite summary.cite-chip").First).ToBeVisibleAsync();
        Assert.Empty(errors);
    }

    private async Task SignInAndOpenChatAsync(IPage page)
    {
        await page.GotoAsync("/Account/SignIn");
        await page.GetByLabel("Email").FillAsync(system.Learner.Email);
        await page.GetByLabel("Password").FillAsync(system.Learner.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.Locator("[data-test=open-chat]").First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/Chat\\?bot=onboarding"));
    }

    /// <summary>The Agent stores a stopped answer as its call ends; the page may be quicker than that.</summary>
    private async Task<Message> WaitForStoredAnswerAsync(string conversationId)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var conversation = await system.Hosts.Agent.Client.GetConversationAsync(
                    new GetConversationRequest { ConversationId = conversationId }, system.Hosts.Agent.As(system.Learner));
                return conversation.Messages.Last(m => m.Role == "assistant");
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                // the turn (and with a new conversation, the conversation) is stored in one transaction as the call ends
            }
            if (attempt == 100)
                throw new InvalidOperationException($"No answer was stored in conversation {conversationId}.");
            await Task.Delay(100);
        }
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static IPageAssertions Expect(IPage page) => Assertions.Expect(page);
}
