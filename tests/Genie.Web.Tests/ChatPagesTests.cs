using System.Net;
using Genie.Contracts.Agent.V1;
using Genie.ServiceDefaults.Auth;
using Grpc.Core;
using Genie.Testing.Hosts;
using Genie.Web.Bots;
using Genie.Web.Tests.Infrastructure;

namespace Genie.Web.Tests;

/// <summary>The chat and preferences pages against the real Agent and Retrieval services over gRPC.</summary>
public sealed class ChatPagesTests(ChatPagesTests.Fixture fixture) : IClassFixture<ChatPagesTests.Fixture>
{
    private const string ChatUrl = "/Chat?bot=onboarding";

    public sealed class Fixture : IAsyncLifetime
    {
        public ChatSystem Hosts { get; private set; } = null!;
        public RetrievalTestHost Retrieval => Hosts.Retrieval;
        public AgentTestHost Agent => Hosts.Agent;
        public PortalHost Portal => Hosts.Portal;
        public TestUser Learner { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Hosts = await ChatSystem.StartAsync();
            Learner = await Portal.CreateAsync(Roles.Learner);
            await Portal.Get<BotAssignments>().AssignAsync(Bot.OnboardingId, Learner.Id, null);
            await Hosts.AddHandbookAsync(Learner);
        }

        public async Task DisposeAsync() => await Hosts.DisposeAsync();
    }

    private static async Task<IReadOnlyList<SseEvent>> AskStreamingAsync(PortalBrowser client, string question, string? conversation = null)
    {
        var (_, page) = await client.GetPageAsync(conversation is null ? ChatUrl : ChatUrl + "&c=" + conversation);
        var token = page.QuerySelector("form[data-chat] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var request = new HttpRequestMessage(HttpMethod.Post, "/Chat?bot=onboarding&handler=Ask")
        {
            Content = new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("message", question), new("c", conversation ?? "")]),
        };
        request.Headers.Accept.ParseAdd("text/event-stream");
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        return SseParser.Parse(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_question_streams_deltas_then_citations_then_the_rendered_answer()
    {
        using var learner = await fixture.Portal.SignedInClientAsync(fixture.Learner);

        var events = await AskStreamingAsync(learner, "How long does it take to get my building badge?");

        Assert.Equal("started", events[0].Name);
        var deltas = events.Where(e => e.Name == "delta").Select(e => e.Data.GetProperty("text").GetString()).ToList();
        Assert.NotEmpty(deltas);
        Assert.Contains("two business days", string.Concat(deltas));
        var citations = Assert.Single(events, e => e.Name == "citations").Data.GetProperty("items");
        Assert.Contains(citations.EnumerateArray(), c => c.GetProperty("title").GetString() == "Building badges"
            && c.GetProperty("headingPath").GetString()!.Contains("Getting your badge"));
        Assert.Single(events, e => e.Name == "completed");
        var answer = events[^1];
        Assert.Equal("answer", answer.Name);
        Assert.Contains("two business days", answer.Data.GetProperty("html").GetString());
        var chips = PortalBrowser.Parse(answer.Data.GetProperty("citationsHtml").GetString()!);
        Assert.Contains("Building badges", chips.QuerySelector("details.cite .cite-title")!.TextContent);

        var conversation = events[0].Data.GetProperty("conversationId").GetString()!;
        var (_, thread) = await learner.GetPageAsync(ChatUrl + "&c=" + conversation);
        Assert.Contains("How long does it take to get my building badge?", thread.QuerySelector(".msg-user .msg-text")!.TextContent);
        Assert.Contains("two business days", thread.QuerySelector(".msg-assistant .msg-body")!.TextContent);
        Assert.NotNull(thread.QuerySelector(".msg-assistant details.cite summary.cite-chip"));
        Assert.NotNull(thread.QuerySelector($"[data-test=conversations] li[data-conversation='{conversation}']"));
    }

    [Fact]
    public async Task A_script_in_a_question_is_shown_as_text()
    {
        using var learner = await fixture.Portal.SignedInClientAsync(fixture.Learner);
        const string question = "<script>alert(1)</script> where do I collect the badge?";

        var asked = await learner.PostFormAsync(ChatUrl, [new("message", question)], "/Chat?bot=onboarding&handler=Ask");
        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);

        var (_, thread) = await learner.GetPageAsync(asked.Headers.Location!.OriginalString);
        var text = thread.QuerySelector(".msg-user .msg-text")!;
        Assert.Equal(question, text.TextContent);
        Assert.Empty(text.Children);
        Assert.All(thread.QuerySelectorAll("script"), s => Assert.StartsWith("/js/site.js", s.GetAttribute("src")));
    }

    [Fact]
    public async Task Thumbs_up_is_stored_with_the_answer()
    {
        using var learner = await fixture.Portal.SignedInClientAsync(fixture.Learner);
        var events = await AskStreamingAsync(learner, "Where do I collect my badge?");
        var completed = Assert.Single(events, e => e.Name == "completed").Data;
        var messageId = completed.GetProperty("messageId").GetString()!;
        var conversation = completed.GetProperty("conversationId").GetString()!;

        var posted = await learner.PostFormAsync(ChatUrl + "&c=" + conversation, [new("messageId", messageId), new("rating", "up")],
            $"/Chat?bot=onboarding&c={conversation}&handler=Feedback");
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);

        var stored = await fixture.Agent.Client.GetConversationAsync(new GetConversationRequest { ConversationId = conversation }, fixture.Agent.As(fixture.Learner));
        Assert.Equal(Rating.Up, stored.Messages.Single(m => m.Id == messageId).Feedback.Rating);
        var (_, thread) = await learner.GetPageAsync(ChatUrl + "&c=" + conversation);
        Assert.Equal("true", thread.QuerySelector($"li[data-message='{messageId}'] [data-test=thumbs-up]")!.GetAttribute("aria-pressed"));
    }

    [Fact]
    public async Task A_conversation_is_renamed_and_deleted()
    {
        using var learner = await fixture.Portal.SignedInClientAsync(fixture.Learner);
        var events = await AskStreamingAsync(learner, "What do I bring to get my badge?");
        var conversation = events[0].Data.GetProperty("conversationId").GetString()!;
        var page = ChatUrl + "&c=" + conversation;

        var renamed = await learner.PostFormAsync(page, [new("title", "Badge <b>questions</b>")], $"/Chat?bot=onboarding&c={conversation}&handler=Rename");
        Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);
        var (_, list) = await learner.GetPageAsync(page);
        Assert.Equal("Badge <b>questions</b>", list.QuerySelector($"li[data-conversation='{conversation}'] .chat-list-title")!.TextContent);

        var deleted = await learner.PostFormAsync(page, [], $"/Chat?bot=onboarding&c={conversation}&handler=Delete");
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        var (_, after) = await learner.GetPageAsync(ChatUrl);
        Assert.Null(after.QuerySelector($"li[data-conversation='{conversation}']"));
        var gone = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () => await fixture.Agent.Client.GetConversationAsync(
            new GetConversationRequest { ConversationId = conversation }, fixture.Agent.As(fixture.Learner)));
        Assert.Equal(Grpc.Core.StatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task A_bot_that_is_not_assigned_is_refused()
    {
        using var learner = await fixture.Portal.SignedInClientAsync(fixture.Learner);
        var response = await learner.GetAsync("/Chat?bot=learning");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Preferences_saved_on_the_page_are_what_the_agent_uses()
    {
        var user = await fixture.Portal.CreateAsync(Roles.Learner);
        using var learner = await fixture.Portal.SignedInClientAsync(user);

        var saved = await learner.PostFormAsync("/Preferences",
            [new("Form.AnswerLength", "Short"), new("Form.Tone", "friendly"), new("Form.Language", "Spanish"), new("Form.RoleTeam", "backend, payments"), new("Form.Level", "beginner")],
            "/Preferences?handler=Save");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var preferences = await fixture.Agent.Client.GetPreferencesAsync(new GetPreferencesRequest(), fixture.Agent.As(user));
        Assert.Equal(AnswerLength.Short, preferences.AnswerLength);
        Assert.Equal("friendly", preferences.Tone);
        Assert.Equal("Spanish", preferences.Language);
        Assert.Equal("backend, payments", preferences.RoleTeam);
        var (_, page) = await learner.GetPageAsync("/Preferences");
        Assert.Equal("Spanish", page.QuerySelector("#Form_Language")!.GetAttribute("value"));
        Assert.NotNull(page.QuerySelector("[data-test=no-facts]"));
    }
}
