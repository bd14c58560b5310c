using System.Globalization;
using System.Net;
using AngleSharp.Dom;
using Genie.Contracts.Agent.V1;
using Genie.ServiceDefaults.Auth;
using Genie.Web.Tests.Infrastructure;
using Npgsql;

namespace Genie.Web.Tests;

/// <summary>
/// The analytics and feedback pages over the real Agent, with data made by real chats and feedback
/// (one conversation moved back a day, as if asked yesterday).
/// </summary>
public sealed class AnalyticsPagesTests(AnalyticsPagesTests.Fixture fixture) : IClassFixture<AnalyticsPagesTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public ChatSystem Hosts { get; private set; } = null!;
        public TestUser Lea { get; private set; } = null!;
        public TestUser Max { get; private set; } = null!;

        /// <summary>The answers asked today, then the one moved back to yesterday.</summary>
        public IReadOnlyList<ChatCompleted> Today { get; private set; } = [];
        public ChatCompleted Yesterday { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Hosts = await ChatSystem.StartAsync();
            var portal = Hosts.Portal;
            Lea = await portal.CreateAsync(Roles.Learner, name: "Lea Learner");
            Max = await portal.CreateAsync(Roles.Learner, name: "Max " + XssTests.Payload);
            await Hosts.AddHandbookAsync(Lea, Max);
            var agent = Hosts.Agent;

            var badge = await agent.AskAsync(Lea, "How long does it take to get my building badge?");
            var parking = await agent.AskAsync(Lea, "What is the parking reimbursement rate?");
            var scripted = await agent.AskAsync(Max, XssTests.Payload + " where do I collect my badge?");
            Yesterday = await agent.AskAsync(Max, "How do I claim the parking reimbursement?");
            Today = [badge, parking, scripted];
            await agent.Client.SubmitFeedbackAsync(new SubmitFeedbackRequest { MessageId = badge.MessageId, Rating = Rating.Up }, agent.As(Lea));
            await agent.Client.SubmitFeedbackAsync(new SubmitFeedbackRequest { MessageId = scripted.MessageId, Rating = Rating.Down, Comment = XssTests.Payload + " wrong desk" }, agent.As(Max));
            await MoveBackADayAsync(Yesterday.ConversationId);
        }

        public async Task DisposeAsync() => await Hosts.DisposeAsync();

        private async Task MoveBackADayAsync(string conversationId)
        {
            await using var connection = new NpgsqlConnection(Hosts.Agent.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                """
                update agent.conversations set created_at = created_at - interval '1 day', updated_at = updated_at - interval '1 day' where id = @id;
                update agent.messages set created_at = created_at - interval '1 day' where conversation_id = @id;
                update agent.knowledge_gaps set asked_at = asked_at - interval '1 day' where conversation_id = @id;
                """, connection);
            command.Parameters.AddWithValue("id", Guid.Parse(conversationId));
            await command.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task The_figures_are_computed_from_the_stored_chats_and_feedback()
    {
        using var admin = await fixture.Hosts.Portal.SignedInAdminAsync();

        var (response, page) = await admin.GetPageAsync("/Admin/Analytics?days=7");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var notCovered = fixture.Today.Append(fixture.Yesterday).Count(c => c.NotCovered);
        Assert.Equal("4", Figure(page, "questions"));
        Assert.Equal("2", Figure(page, "active-learners"));
        Assert.Equal("50%", Figure(page, "helpful"));
        Assert.Contains("1 of 2", page.QuerySelector("[data-figure=helpful] .stat-label")!.TextContent);
        Assert.Equal($"{Math.Round(100.0 * notCovered / 4)}%", Figure(page, "not-covered"));
        Assert.Equal("4", Figure(page, "conversations"));
        Assert.Contains("distinct people who asked", page.QuerySelector("[data-test=definitions]")!.TextContent);
        Assert.Contains("Last 7 days", page.QuerySelector("#days option[selected]")!.TextContent);
    }

    [Fact]
    public async Task The_day_charts_have_one_column_per_day_ending_today()
    {
        using var admin = await fixture.Hosts.Portal.SignedInAdminAsync();

        var (_, page) = await admin.GetPageAsync("/Admin/Analytics");

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var expectedDays = Enumerable.Range(0, 30).Select(i => today.AddDays(i - 29).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
        var questions = Columns(page, "questions-per-day");
        Assert.Equal(expectedDays, questions.Select(c => c.Label));
        Assert.Equal(3, questions[^1].Value);
        Assert.Equal(1, questions[^2].Value);
        Assert.All(questions.SkipLast(2), c => Assert.Equal(0, c.Value));
        Assert.Equal(3 * questions[^2].Height, questions[^1].Height, 1);
        var learners = Columns(page, "learners-per-day");
        Assert.Equal(expectedDays, learners.Select(c => c.Label));
        Assert.Equal((2, 1), (learners[^1].Value, learners[^2].Value));
        Assert.Equal(today.ToString("d MMM", CultureInfo.InvariantCulture), page.QuerySelectorAll("[data-chart=questions-per-day] .chart-tick text").Last().TextContent);
        Assert.Contains($"{expectedDays[^1]}: 3", page.QuerySelector("#questions-per-day-desc")!.TextContent);

        var feedback = page.QuerySelectorAll("[data-chart=feedback] g.chart-row").Select(g => (g.GetAttribute("data-label"), g.GetAttribute("data-value"))).ToList();
        Assert.Equal([("Helpful", "1"), ("Not helpful", "1")], feedback);
    }

    [Fact]
    public async Task The_top_knowledge_gaps_are_the_agents_groups()
    {
        using var admin = await fixture.Hosts.Portal.SignedInAdminAsync();
        var gaps = await fixture.Hosts.Agent.Client.ListKnowledgeGapsAsync(new ListKnowledgeGapsRequest { MaxGroups = 10 }, fixture.Hosts.Agent.As(fixture.Lea, Roles.Admin));

        var (_, page) = await admin.GetPageAsync("/Admin/Analytics");

        Assert.NotEmpty(gaps.Groups);
        var bars = page.QuerySelectorAll("[data-chart=knowledge-gaps] g.chart-row").ToList();
        Assert.Equal(gaps.Groups.Select(g => (g.RepresentativeQuestion, g.Count.ToString(CultureInfo.InvariantCulture))),
            bars.Select(b => (b.GetAttribute("data-label")!, b.GetAttribute("data-value")!)));
        Assert.Contains(gaps.Groups, g => g.RepresentativeQuestion.Contains("parking"));
        Assert.Contains("parking reimbursement", page.QuerySelector("[data-test=gaps-table]")!.TextContent);
    }

    [Fact]
    public async Task Feedback_lists_question_answer_comment_and_person_filtered_by_rating()
    {
        using var admin = await fixture.Hosts.Portal.SignedInAdminAsync();

        var (_, all) = await admin.GetPageAsync("/Admin/Feedback");
        var (_, down) = await admin.GetPageAsync("/Admin/Feedback?rating=down");

        var items = all.QuerySelectorAll("[data-test=feedback-list] > li").ToList();
        Assert.Equal([fixture.Today[2].MessageId, fixture.Today[0].MessageId], items.Select(i => i.GetAttribute("data-message")));
        var helpful = items[1];
        Assert.Equal("up", helpful.GetAttribute("data-rating"));
        Assert.Equal("How long does it take to get my building badge?", helpful.QuerySelector("[data-test=question]")!.TextContent);
        Assert.Contains("two business days", helpful.QuerySelector("[data-test=answer]")!.TextContent);
        Assert.Contains("Lea Learner", helpful.QuerySelector("[data-test=person]")!.TextContent);
        Assert.Contains(fixture.Lea.Email, helpful.QuerySelector("[data-test=person]")!.TextContent);
        Assert.Null(helpful.QuerySelector("[data-test=comment]"));

        var only = Assert.Single(down.QuerySelectorAll("[data-test=feedback-list] > li"));
        Assert.Equal("down", only.GetAttribute("data-rating"));
        Assert.Equal(XssTests.Payload + " wrong desk", only.QuerySelector("[data-test=comment]")!.TextContent);
        Assert.Contains("Not helpful (1)", down.QuerySelector("#rating option[selected]")!.TextContent);
    }

    [Fact]
    public async Task Markup_in_a_question_a_comment_or_a_name_renders_as_text()
    {
        using var admin = await fixture.Hosts.Portal.SignedInAdminAsync();

        await XssTests.AssertRendersAsTextAsync(admin, "/Admin/Feedback?rating=down");
        var (_, page) = await admin.GetPageAsync("/Admin/Feedback?rating=down");
        var item = page.QuerySelector("[data-test=feedback-list] > li")!;
        Assert.StartsWith(XssTests.Payload, item.QuerySelector("[data-test=question]")!.TextContent);
        Assert.Empty(item.QuerySelector("[data-test=question]")!.Children);
        Assert.Empty(item.QuerySelector("[data-test=comment]")!.Children);
        Assert.Contains("Max " + XssTests.Payload, item.QuerySelector("[data-test=person]")!.TextContent);
        var (_, analytics) = await admin.GetPageAsync("/Admin/Analytics");
        Assert.All(analytics.QuerySelectorAll("script"), s => Assert.StartsWith("/js/", s.GetAttribute("src") ?? "(inline)"));
        Assert.Empty(analytics.QuerySelectorAll("img[onerror]"));
    }

    [Fact]
    public async Task Reading_feedback_is_recorded_in_the_agents_access_audit()
    {
        using var admin = await fixture.Hosts.Portal.SignedInAdminAsync();
        var adminUser = await fixture.Hosts.Portal.Get<Identity.UserStore>().FindByEmailAsync(PortalHost.AdminEmail);

        await admin.GetPageAsync("/Admin/Feedback?rating=up");

        await using var connection = new NpgsqlConnection(fixture.Hosts.Agent.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select count(*) from agent.admin_access_audit where admin_user_id = @admin and conversation_id = @conversation and reason like 'feedback review%'", connection);
        command.Parameters.AddWithValue("admin", adminUser!.Id.ToString());
        command.Parameters.AddWithValue("conversation", Guid.Parse(fixture.Today[0].ConversationId));
        Assert.True((long)(await command.ExecuteScalarAsync())! >= 1);
    }

    private static string Figure(IDocument page, string name) =>
        page.QuerySelector($"[data-figure={name}] .stat-value")!.TextContent.Trim();

    private static IReadOnlyList<(string Label, int Value, double Height)> Columns(IDocument page, string chart) =>
        page.QuerySelectorAll($"[data-chart={chart}] g.chart-column")
            .Select(g => (
                g.GetAttribute("data-label")!,
                int.Parse(g.GetAttribute("data-value")!, CultureInfo.InvariantCulture),
                double.Parse(g.QuerySelector("rect")!.GetAttribute("height")!, CultureInfo.InvariantCulture)))
            .ToList();
}
