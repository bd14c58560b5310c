using Genie.Agent.Analytics;
using Genie.Agent.Conversations;
using Genie.Contracts.Agent.V1;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Logging;

namespace Genie.Agent;

/// <summary>The admin analytics rpcs: usage per day and the feedback review.</summary>
public sealed partial class AgentHandler
{
    public const int MaxStatsDays = 366;

    [Authorize(Roles = Roles.Admin)]
    public override async Task<UsageStats> GetUsageStats(GetUsageStatsRequest request, ServerCallContext context)
    {
        var days = request.Days == 0 ? 30 : request.Days;
        if (days is < 1 or > MaxStatsDays) throw RpcErrors.InvalidArgument("days", $"must be between 1 and {MaxStatsDays}");
        if (request.Bot.Length > 0 && !Bots.Contains(request.Bot)) throw RpcErrors.InvalidArgument("bot", $"must be one of {string.Join(", ", Bots)}");
        var last = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var first = last.AddDays(1 - days);
        var (used, period) = await usageStats.ReadAsync(first, last, NullIfEmpty(request.Bot), context.CancellationToken);

        var byDay = used.ToDictionary(d => d.Day);
        var stats = new UsageStats
        {
            FirstDay = Day(first),
            LastDay = Day(last),
            Questions = period.Questions,
            ActiveUsers = period.ActiveUsers,
            Answers = period.Answers,
            NotCovered = period.NotCovered,
            Incomplete = period.Incomplete,
            Fallbacks = period.Fallbacks,
            Helpful = period.Helpful,
            NotHelpful = period.NotHelpful,
            Conversations = period.Conversations,
        };
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            var counts = byDay.GetValueOrDefault(day);
            stats.Days.Add(new DailyUsage
            {
                Day = Day(day),
                Questions = counts?.Questions ?? 0,
                ActiveUsers = counts?.ActiveUsers ?? 0,
                NotCovered = counts?.NotCovered ?? 0,
                Helpful = counts?.Helpful ?? 0,
                NotHelpful = counts?.NotHelpful ?? 0,
            });
        }
        return stats;
    }

    [Authorize(Roles = Roles.Admin)]
    public override async Task<ListFeedbackResponse> ListFeedback(ListFeedbackRequest request, ServerCallContext context)
    {
        if (request.Rating is not (Rating.Unspecified or Rating.Up or Rating.Down)) throw RpcErrors.InvalidArgument("rating", "unknown value");
        if (request.Bot.Length > 0 && !Bots.Contains(request.Bot)) throw RpcErrors.InvalidArgument("bot", $"must be one of {string.Join(", ", Bots)}");
        var pageSize = request.PageSize == 0 ? 20 : request.PageSize;
        if (pageSize is < 1 or > 100) throw RpcErrors.InvalidArgument("page_size", "must be between 1 and 100");
        var page = request.Page == 0 ? 1 : request.Page;
        if (page < 1) throw RpcErrors.InvalidArgument("page", "must be 1 or more");

        var caller = context.GetCaller();
        var rating = request.Rating == Rating.Unspecified ? (short?)null : (short)request.Rating;
        var result = await feedbackReview.ListAsync(rating, NullIfEmpty(request.Bot), page, pageSize, caller.UserId, caller.Email, context.CancellationToken);
        if (result.Rows.Count > 0)
            logger.LogInformation("Admin {Admin} reviewed feedback on {Count} conversations", caller.UserId, result.Rows.Select(r => r.ConversationId).Distinct().Count());

        var response = new ListFeedbackResponse { TotalCount = result.Total, Helpful = result.Helpful, NotHelpful = result.NotHelpful };
        response.Items.AddRange(result.Rows.Select(r => new FeedbackReview
        {
            Feedback = new Contracts.Agent.V1.Feedback
            {
                MessageId = r.MessageId.ToString(),
                Rating = (Rating)r.Rating,
                Comment = r.Comment,
                UpdatedAt = ConversationMapping.Utc(r.UpdatedAt),
            },
            UserId = r.UserId,
            ConversationId = r.ConversationId.ToString(),
            Bot = r.Bot,
            Question = r.Question,
            AnswerExcerpt = r.Answer,
            Model = r.Model ?? "",
            NotCovered = r.NotCovered,
            Incomplete = r.Incomplete,
            AnsweredAt = ConversationMapping.Utc(r.AnsweredAt),
        }));
        return response;
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
