using Genie.Agent.Tests.Support;
using Genie.Contracts.Agent.V1;
using Genie.ServiceDefaults.Auth;
using Genie.Testing.Hosts;
using Grpc.Core;
using Npgsql;

namespace Genie.Agent.Tests.Analytics;

/// <summary>ListFeedback: admins review ratings with the question and answer excerpts, and every read is audited.</summary>
public sealed class FeedbackReviewTests : IAsyncLifetime
{
    private AgentTestHost _agent = null!;

    public async Task InitializeAsync() => _agent = await AgentTestHost.StartAsync(new RecordingHandbookSearch());

    public async Task DisposeAsync() => await _agent.DisposeAsync();

    private CallOptions Admin => _agent.As("root", Roles.Admin);

    [Fact]
    public async Task Feedback_is_listed_newest_first_with_question_answer_and_comment_filtered_and_paged()
    {
        var longQuestion = "How do I request annual leave? " + string.Concat(Enumerable.Repeat("Please explain every step in detail. ", 20));
        var leave = await RateAsync("fay", longQuestion, Rating.Down, "<script>alert('x')</script> did not say who approves");
        var piv = await RateAsync("gus", "How do I get a PIV card?", Rating.Up, "");
        var laptop = await RateAsync("fay", "How do I set up my laptop?", Rating.Up, "clear");

        var all = await _agent.Client.ListFeedbackAsync(new ListFeedbackRequest(), Admin);
        var down = await _agent.Client.ListFeedbackAsync(new ListFeedbackRequest { Rating = Rating.Down }, Admin);
        var page2 = await _agent.Client.ListFeedbackAsync(new ListFeedbackRequest { PageSize = 2, Page = 2 }, Admin);

        Assert.Equal([laptop.Completed.MessageId, piv.Completed.MessageId, leave.Completed.MessageId], all.Items.Select(i => i.Feedback.MessageId));
        Assert.Equal((3, 2, 1), (all.TotalCount, all.Helpful, all.NotHelpful));
        var item = Assert.Single(down.Items);
        Assert.Equal(1, down.TotalCount);
        Assert.Equal((2, 1), (down.Helpful, down.NotHelpful));
        Assert.Equal("fay", item.UserId);
        Assert.Equal(leave.Completed.ConversationId, item.ConversationId);
        Assert.Equal("onboarding", item.Bot);
        Assert.Equal("<script>alert('x')</script> did not say who approves", item.Feedback.Comment);
        Assert.Equal(500, item.Question.Length);
        Assert.StartsWith("How do I request annual leave? Please explain", item.Question);
        Assert.EndsWith("…", item.Question);
        Assert.Equal(leave.Answer.Length <= 500 ? leave.Answer : leave.Answer[..499].TrimEnd() + "…", item.AnswerExcerpt);
        Assert.Equal("builtin-extractive", item.Model);
        Assert.Equal(Rating.Down, item.Feedback.Rating);
        Assert.Equal(leave.Completed.MessageId, Assert.Single(page2.Items).Feedback.MessageId);
        Assert.Equal(3, page2.TotalCount);
    }

    [Fact]
    public async Task Every_conversation_shown_is_recorded_in_the_access_audit()
    {
        var hal = await RateAsync("hal", "How do I get a PIV card?", Rating.Up, "");
        await RateAsync("ida", "How do I set up my laptop?", Rating.Down, "");

        await _agent.Client.ListFeedbackAsync(new ListFeedbackRequest { Rating = Rating.Up }, Admin);
        await _agent.Client.ListFeedbackAsync(new ListFeedbackRequest { Rating = Rating.Down, Page = 5 }, Admin); // an empty page shows nothing

        var audit = await AuditAsync();
        var row = Assert.Single(audit);
        Assert.Equal(("root", hal.Completed.ConversationId, "hal"), (row.Admin, row.Conversation, row.Owner));
        Assert.StartsWith("feedback review", row.Reason);
    }

    [Fact]
    public async Task Only_admins_may_review_feedback_and_bad_paging_is_refused()
    {
        await RateAsync("jo", "How do I get a PIV card?", Rating.Up, "");

        var learner = await Assert.ThrowsAsync<RpcException>(async () => await _agent.Client.ListFeedbackAsync(new ListFeedbackRequest(), _agent.As("jo")));
        var instructor = await Assert.ThrowsAsync<RpcException>(async () => await _agent.Client.ListFeedbackAsync(new ListFeedbackRequest(), _agent.As("kim", Roles.Instructor)));
        var size = await Assert.ThrowsAsync<RpcException>(async () => await _agent.Client.ListFeedbackAsync(new ListFeedbackRequest { PageSize = 101 }, Admin));
        var page = await Assert.ThrowsAsync<RpcException>(async () => await _agent.Client.ListFeedbackAsync(new ListFeedbackRequest { Page = -1 }, Admin));
        var rating = await Assert.ThrowsAsync<RpcException>(async () => await _agent.Client.ListFeedbackAsync(new ListFeedbackRequest { Rating = (Rating)7 }, Admin));

        Assert.Equal(StatusCode.PermissionDenied, learner.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, instructor.StatusCode);
        Assert.StartsWith("page_size:", size.Status.Detail);
        Assert.StartsWith("page:", page.Status.Detail);
        Assert.StartsWith("rating:", rating.Status.Detail);
        Assert.Empty(await AuditAsync());
    }

    private async Task<ChatResult> RateAsync(string user, string question, Rating rating, string comment)
    {
        var chat = await ChatResult.AskAsync(_agent.Client, _agent.As(user), question);
        await _agent.Client.SubmitFeedbackAsync(new SubmitFeedbackRequest { MessageId = chat.Completed.MessageId, Rating = rating, Comment = comment }, _agent.As(user));
        return chat;
    }

    private async Task<IReadOnlyList<(string Admin, string Conversation, string Owner, string Reason)>> AuditAsync()
    {
        await using var connection = new NpgsqlConnection(_agent.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select admin_user_id, conversation_id::text, conversation_user_id, reason from agent.admin_access_audit order by id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string, string, string)>();
        while (await reader.ReadAsync())
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        return rows;
    }
}
