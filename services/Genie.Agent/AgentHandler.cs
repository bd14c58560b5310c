using Genie.Agent.Analytics;
using Genie.Agent.Chat;
using Genie.Agent.Conversations;
using Genie.Agent.Gaps;
using Genie.Agent.Memory;
using Genie.Agent.Telemetry;
using Genie.Contracts.Agent.V1;
using Genie.Contracts.Common.V1;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Hosting;
using Genie.ServiceDefaults.Rpc;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Genie.ServiceDefaults.Limits;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Logging;

namespace Genie.Agent;

/// <summary>Serves <c>genie.agent.v1.AgentService</c>: validates at the edge, scopes everything to the caller.</summary>
public sealed partial class AgentHandler(
    ServiceInfoProvider serviceInfo,
    ChatPipeline chat,
    ConversationStore conversations,
    FeedbackStore feedback,
    ProfileStore profiles,
    KnowledgeGapStore gaps,
    AgentTelemetry telemetry,
    TimeProvider time,
    ILogger<AgentHandler> logger,
    UsageStatsStore usageStats,
    FeedbackReviewStore feedbackReview) : AgentService.AgentServiceBase
{
    /// <summary>Retrieval searches at most 2000 characters, so a longer question could never be searched whole.</summary>
    public const int MaxMessageLength = 2000;
    public static readonly IReadOnlySet<string> Bots = new HashSet<string>(StringComparer.Ordinal) { "onboarding", "learning" };
    private static readonly string[] PreferenceFields = ["answer_length", "tone", "language", "role_team", "level"];

    public override Task<ServiceInfo> GetServiceInfo(GetServiceInfoRequest request, ServerCallContext context) =>
        serviceInfo.GetAsync(context.CancellationToken);

    [Authorize(Roles = Roles.Admin + "," + Roles.Instructor + "," + Roles.Learner)]
    [EnableRateLimiting(GenieLimits.Policy)]
    public override Task Chat(ChatRequest request, IServerStreamWriter<ChatEvent> responses, ServerCallContext context)
    {
        var bot = string.IsNullOrEmpty(request.Bot) ? "onboarding" : request.Bot;
        if (!Bots.Contains(bot)) throw RpcErrors.InvalidArgument("bot", $"must be one of {string.Join(", ", Bots)}");
        var message = request.Message.Trim();
        if (message.Length == 0) throw RpcErrors.InvalidArgument("message", "must not be empty");
        if (message.Length > MaxMessageLength) throw RpcErrors.InvalidArgument("message", $"must be at most {MaxMessageLength} characters");
        if (request.KnowledgeBaseIds.Count > 50) throw RpcErrors.InvalidArgument("knowledge_base_ids", "at most 50");
        Guid? conversationId = string.IsNullOrEmpty(request.ConversationId) ? null : ParseId("conversation_id", request.ConversationId);
        return chat.RunAsync(new ChatInput(conversationId, bot, message, request.KnowledgeBaseIds.ToList()), context.GetCaller(), responses, context.CancellationToken);
    }

    public override async Task<ListConversationsResponse> ListConversations(ListConversationsRequest request, ServerCallContext context)
    {
        var pageSize = request.PageSize == 0 ? 20 : request.PageSize;
        if (pageSize is < 1 or > 100) throw RpcErrors.InvalidArgument("page_size", "must be between 1 and 100");
        PageToken? after = null;
        if (request.PageToken.Length > 0 && !PageToken.TryDecode(request.PageToken, out after))
            throw RpcErrors.InvalidArgument("page_token", "is not a token this service issued");
        if (request.Bot.Length > 0 && !Bots.Contains(request.Bot)) throw RpcErrors.InvalidArgument("bot", $"must be one of {string.Join(", ", Bots)}");
        var (page, next) = await conversations.ListAsync(context.GetCaller().UserId, NullIfEmpty(request.Bot), pageSize, after, context.CancellationToken);
        var response = new ListConversationsResponse { NextPageToken = next };
        response.Conversations.AddRange(page.Select(c => c.ToSummary()));
        return response;
    }

    public override async Task<Conversation> GetConversation(GetConversationRequest request, ServerCallContext context)
    {
        var id = ParseId("conversation_id", request.ConversationId);
        return await conversations.GetAsync(id, context.GetCaller().UserId, context.CancellationToken)
               ?? throw RpcErrors.NotFound("conversation", request.ConversationId);
    }

    public override async Task<ConversationSummary> RenameConversation(RenameConversationRequest request, ServerCallContext context)
    {
        var id = ParseId("conversation_id", request.ConversationId);
        var title = request.Title.Trim();
        if (title.Length is 0 or > 200) throw RpcErrors.InvalidArgument("title", "must be 1 to 200 characters");
        var row = await conversations.RenameAsync(id, context.GetCaller().UserId, title, context.CancellationToken)
                  ?? throw RpcErrors.NotFound("conversation", request.ConversationId);
        return row.ToSummary();
    }

    public override async Task<DeleteConversationResponse> DeleteConversation(DeleteConversationRequest request, ServerCallContext context)
    {
        var id = ParseId("conversation_id", request.ConversationId);
        if (!await conversations.DeleteAsync(id, context.GetCaller().UserId, context.CancellationToken))
            throw RpcErrors.NotFound("conversation", request.ConversationId);
        return new DeleteConversationResponse();
    }

    [Authorize(Roles = Roles.Admin)]
    public override async Task<Conversation> AdminGetConversation(AdminGetConversationRequest request, ServerCallContext context)
    {
        var id = ParseId("conversation_id", request.ConversationId);
        var reason = request.Reason.Trim();
        if (reason.Length is < 5 or > 500) throw RpcErrors.InvalidArgument("reason", "must be 5 to 500 characters: say why you need to read it");
        var caller = context.GetCaller();
        var owner = await conversations.AuditAdminAccessAsync(id, caller.UserId, caller.Email, reason, context.CancellationToken)
                    ?? throw RpcErrors.NotFound("conversation", request.ConversationId);
        logger.LogInformation("Admin {Admin} read conversation {Conversation} of user {Owner}: {Reason}", caller.UserId, id, owner, reason);
        return await conversations.GetAsync(id, null, context.CancellationToken)
               ?? throw RpcErrors.NotFound("conversation", request.ConversationId);
    }

    public override async Task<Contracts.Agent.V1.Feedback> SubmitFeedback(SubmitFeedbackRequest request, ServerCallContext context)
    {
        var id = ParseId("message_id", request.MessageId);
        if (request.Rating is not (Rating.Up or Rating.Down)) throw RpcErrors.InvalidArgument("rating", "must be RATING_UP or RATING_DOWN");
        if (request.Comment.Length > 2000) throw RpcErrors.InvalidArgument("comment", "must be at most 2000 characters");
        var row = await feedback.SubmitAsync(id, context.GetCaller().UserId, (short)request.Rating, request.Comment.Trim(), context.CancellationToken)
                  ?? throw RpcErrors.NotFound("assistant message", request.MessageId);
        telemetry.FeedbackCount.Add(1, new KeyValuePair<string, object?>("rating", request.Rating == Rating.Up ? "up" : "down"));
        return row.ToFeedback();
    }

    public override Task<Preferences> GetPreferences(GetPreferencesRequest request, ServerCallContext context) =>
        profiles.GetPreferencesAsync(context.GetCaller().UserId, context.CancellationToken);

    public override Task<Preferences> SetPreferences(SetPreferencesRequest request, ServerCallContext context)
    {
        var value = request.Preferences ?? new Preferences();
        var fields = request.UpdateMask.Count == 0 ? PreferenceFields.ToHashSet() : request.UpdateMask.ToHashSet();
        var unknown = fields.Except(PreferenceFields).FirstOrDefault();
        if (unknown is not null) throw RpcErrors.InvalidArgument("update_mask", $"'{unknown}' is not one of {string.Join(", ", PreferenceFields)}");
        if (!System.Enum.IsDefined(value.AnswerLength)) throw RpcErrors.InvalidArgument("preferences.answer_length", "unknown value");
        foreach (var (name, text) in new[] { ("tone", value.Tone), ("language", value.Language), ("role_team", value.RoleTeam), ("level", value.Level) })
        {
            if (text.Length > 100) throw RpcErrors.InvalidArgument($"preferences.{name}", "must be at most 100 characters");
        }
        return profiles.SetPreferencesAsync(context.GetCaller().UserId, value, fields, context.CancellationToken);
    }

    public override async Task<ListLearnedFactsResponse> ListLearnedFacts(ListLearnedFactsRequest request, ServerCallContext context)
    {
        var facts = await profiles.ListFactsAsync(context.GetCaller().UserId, context.CancellationToken);
        var response = new ListLearnedFactsResponse();
        response.Facts.AddRange(facts.Select(f => new LearnedFact
        {
            Id = f.Id.ToString(),
            Kind = f.Kind,
            Text = f.Text,
            LearnedAt = ConversationMapping.Utc(f.LearnedAt),
            ConversationId = f.ConversationId?.ToString() ?? "",
        }));
        return response;
    }

    public override async Task<DeleteLearnedFactResponse> DeleteLearnedFact(DeleteLearnedFactRequest request, ServerCallContext context)
    {
        var id = ParseId("fact_id", request.FactId);
        if (!await profiles.DeleteFactAsync(context.GetCaller().UserId, id, context.CancellationToken))
            throw RpcErrors.NotFound("learned fact", request.FactId);
        return new DeleteLearnedFactResponse();
    }

    [Authorize(Roles = Roles.Admin)]
    public override async Task<ListKnowledgeGapsResponse> ListKnowledgeGaps(ListKnowledgeGapsRequest request, ServerCallContext context)
    {
        var maxGroups = request.MaxGroups == 0 ? 50 : request.MaxGroups;
        if (maxGroups is < 1 or > 500) throw RpcErrors.InvalidArgument("max_groups", "must be between 1 and 500");
        if (request.Bot.Length > 0 && !Bots.Contains(request.Bot)) throw RpcErrors.InvalidArgument("bot", $"must be one of {string.Join(", ", Bots)}");
        var since = request.Since?.ToDateTime() ?? time.GetUtcNow().UtcDateTime.AddDays(-90);
        var groups = await gaps.ListGroupsAsync(since, NullIfEmpty(request.Bot), context.CancellationToken);
        var response = new ListKnowledgeGapsResponse();
        response.Groups.AddRange(groups.Take(maxGroups).Select(g =>
        {
            var group = new KnowledgeGapGroup
            {
                RepresentativeQuestion = g.RepresentativeQuestion,
                Count = g.Count,
                DistinctUsers = g.Members.Select(m => m.UserId).Distinct().Count(),
                FirstAsked = ConversationMapping.Utc(g.Members.Min(m => m.AskedAt)),
                LastAsked = ConversationMapping.Utc(g.Members.Max(m => m.AskedAt)),
            };
            group.Teams.AddRange(g.Members.Select(m => m.Team).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).Order());
            group.Examples.AddRange(g.Members.Select(m => m.Question).Distinct(StringComparer.OrdinalIgnoreCase).Take(5));
            group.KeyTerms.AddRange(g.KeyTerms);
            return group;
        }));
        return response;
    }

    private static Guid ParseId(string field, string value) =>
        Guid.TryParse(value, out var id) ? id : throw RpcErrors.InvalidArgument(field, "must be an id this service issued (a UUID)");

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
