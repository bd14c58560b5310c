using System.Globalization;
using Genie.Agent.Tests.Support;
using Genie.Contracts.Agent.V1;
using Genie.ServiceDefaults.Auth;
using Genie.Testing.Hosts;
using Grpc.Core;
using Npgsql;

namespace Genie.Agent.Tests.Analytics;

/// <summary>GetUsageStats over real chats and feedback stored by the service, some moved back in time.</summary>
public sealed class UsageStatsTests : IAsyncLifetime
{
    private AgentTestHost _agent = null!;

    public async Task InitializeAsync() => _agent = await AgentTestHost.StartAsync(new RecordingHandbookSearch());

    public async Task DisposeAsync() => await _agent.DisposeAsync();

    private CallOptions Admin => _agent.As("root", Roles.Admin);

    [Fact]
    public async Task Questions_askers_gaps_and_feedback_are_counted_per_utc_day_and_over_the_period()
    {
        var ann = await ChatResult.AskAsync(_agent.Client, _agent.As("ann"), "How do I get a PIV card?");
        await ChatResult.AskAsync(_agent.Client, _agent.As("ann"), "How long does that take?", ann.Completed.ConversationId);
        var bob = await ChatResult.AskAsync(_agent.Client, _agent.As("bob"), "What is the parking reimbursement rate?");
        var cat = await ChatResult.AskAsync(_agent.Client, _agent.As("cat"), "How do I request annual leave?");
        var old = await ChatResult.AskAsync(_agent.Client, _agent.As("dan"), "How do I set up my laptop?");
        await _agent.Client.SubmitFeedbackAsync(new SubmitFeedbackRequest { MessageId = ann.Completed.MessageId, Rating = Rating.Up }, _agent.As("ann"));
        await _agent.Client.SubmitFeedbackAsync(new SubmitFeedbackRequest { MessageId = bob.Completed.MessageId, Rating = Rating.Down }, _agent.As("bob"));
        await _agent.Client.SubmitFeedbackAsync(new SubmitFeedbackRequest { MessageId = old.Completed.MessageId, Rating = Rating.Up }, _agent.As("dan"));
        // dan asked and rated two days ago; cat's conversation is older than the period.
        await MoveBackAsync(old.Completed.ConversationId, TimeSpan.FromDays(2));
        await MoveBackAsync(cat.Completed.ConversationId, TimeSpan.FromDays(10));

        var stats = await _agent.Client.GetUsageStatsAsync(new GetUsageStatsRequest { Days = 7 }, Admin);

        Assert.Equal(7, stats.Days.Count);
        Assert.Equal(stats.LastDay, stats.Days[^1].Day);
        Assert.Equal(stats.FirstDay, stats.Days[0].Day);
        Assert.Equal(Day(stats.LastDay).AddDays(-6), Day(stats.FirstDay));
        Assert.Equal(stats.Days.Select(d => d.Day).Order(StringComparer.Ordinal), stats.Days.Select(d => d.Day));
        var today = stats.Days[^1];
        Assert.Equal((3, 2, 1, 1, 1), (today.Questions, today.ActiveUsers, today.NotCovered, today.Helpful, today.NotHelpful));
        var twoDaysAgo = stats.Days[^3];
        Assert.Equal((1, 1, 0, 1, 0), (twoDaysAgo.Questions, twoDaysAgo.ActiveUsers, twoDaysAgo.NotCovered, twoDaysAgo.Helpful, twoDaysAgo.NotHelpful));
        Assert.All(stats.Days.Where(d => d != today && d != twoDaysAgo), d => Assert.Equal(0, d.Questions + d.Helpful + d.NotHelpful));
        Assert.Equal(4, stats.Questions);
        Assert.Equal(3, stats.ActiveUsers); // ann, bob, dan: cat asked before the period
        Assert.Equal(4, stats.Answers);
        Assert.Equal(1, stats.NotCovered);
        Assert.Equal(2, stats.Helpful);
        Assert.Equal(1, stats.NotHelpful);
        Assert.Equal(3, stats.Conversations);

        var month = await _agent.Client.GetUsageStatsAsync(new GetUsageStatsRequest(), Admin);
        Assert.Equal(30, month.Days.Count);
        Assert.Equal(4, month.ActiveUsers);
        Assert.Equal(0, (await _agent.Client.GetUsageStatsAsync(new GetUsageStatsRequest { Bot = "learning" }, Admin)).Questions);
    }

    [Fact]
    public async Task No_use_yet_gives_every_day_with_zeros()
    {
        var stats = await _agent.Client.GetUsageStatsAsync(new GetUsageStatsRequest { Days = 14 }, Admin);

        Assert.Equal(14, stats.Days.Count);
        Assert.All(stats.Days, d => Assert.Equal(0, d.Questions + d.ActiveUsers + d.NotCovered + d.Helpful + d.NotHelpful));
        Assert.Equal(0, stats.Questions + stats.ActiveUsers + stats.Answers + stats.Helpful + stats.NotHelpful + stats.Conversations);
    }

    [Fact]
    public async Task Only_admins_may_read_usage_and_the_period_is_bounded()
    {
        var learner = await Assert.ThrowsAsync<RpcException>(async () => await _agent.Client.GetUsageStatsAsync(new GetUsageStatsRequest(), _agent.As("eve")));
        var instructor = await Assert.ThrowsAsync<RpcException>(async () => await _agent.Client.GetUsageStatsAsync(new GetUsageStatsRequest(), _agent.As("ian", Roles.Instructor)));
        var tooLong = await Assert.ThrowsAsync<RpcException>(async () => await _agent.Client.GetUsageStatsAsync(new GetUsageStatsRequest { Days = 367 }, Admin));
        var bot = await Assert.ThrowsAsync<RpcException>(async () => await _agent.Client.GetUsageStatsAsync(new GetUsageStatsRequest { Bot = "sales" }, Admin));

        Assert.Equal(StatusCode.PermissionDenied, learner.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, instructor.StatusCode);
        Assert.StartsWith("days:", tooLong.Status.Detail);
        Assert.StartsWith("bot:", bot.Status.Detail);
    }

    private async Task MoveBackAsync(string conversationId, TimeSpan by)
    {
        await using var connection = new NpgsqlConnection(_agent.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            update agent.conversations set created_at = created_at - @by, updated_at = updated_at - @by where id = @id;
            update agent.messages set created_at = created_at - @by where conversation_id = @id;
            update agent.feedback set updated_at = updated_at - @by where message_id in (select id from agent.messages where conversation_id = @id);
            """, connection);
        command.Parameters.AddWithValue("id", Guid.Parse(conversationId));
        command.Parameters.AddWithValue("by", by);
        await command.ExecuteNonQueryAsync();
    }

    private static DateOnly Day(string value) => DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
