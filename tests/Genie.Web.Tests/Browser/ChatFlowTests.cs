using System.Text.RegularExpressions;
using Genie.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Genie.Web.Tests.Browser;

/// <summary>A learner asks in a real browser: the answer streams in with a citation chip, they rate it and find the conversation.</summary>
public sealed class ChatFlowTests(BrowserFixture browser, ChatPagesTests.Fixture system)
    : IClassFixture<BrowserFixture>, IClassFixture<ChatPagesTests.Fixture>
{
    [Fact]
    public async Task Learner_asks_sees_a_cited_answer_rates_it_and_finds_the_conversation()
    {
        var (context, page, errors) = await browser.NewPageAsync(system.Portal.BaseAddress);
        await using var _ = context;

        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/Account/SignIn"));
        await page.Keyboard.TypeAsync(system.Learner.Email);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(system.Learner.Password);
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("[data-test=open-chat]").First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/Chat\\?bot=onboarding"));

        await page.Locator("#chat-message").FillAsync("How long does it take to get my building badge?");
        await page.Locator("[data-chat-send]").ClickAsync();
        var answer = page.Locator(".msg-assistant").Last;
        await Expect(answer.Locator(".msg-body.markdown")).ToContainTextAsync("two business days");
        await Expect(page).ToHaveURLAsync(new Regex("c="));
        var chip = answer.Locator("details.cite summary.cite-chip").First;
        await chip.ClickAsync();
        await Expect(answer.Locator("details.cite .cite-title").First).ToHaveTextAsync("Building badges");
        await BrowserFixture.ScreenshotAsync(page, "20-chat-answer-with-citation");

        var thumbsUp = answer.Locator("[data-test=thumbs-up]");
        await thumbsUp.ClickAsync();
        await Expect(thumbsUp).ToHaveAttributeAsync("aria-pressed", "true");

        await page.ReloadAsync();
        await Expect(page.Locator("[data-test=conversations] li")).ToHaveCountAsync(1);
        await Expect(page.Locator(".msg-assistant [data-test=thumbs-up]").Last).ToHaveAttributeAsync("aria-pressed", "true");
        await BrowserFixture.ScreenshotAsync(page, "21-chat-conversation-list");
        Assert.Empty(errors);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static IPageAssertions Expect(IPage page) => Assertions.Expect(page);
}
