using Genie.Contracts.Common.V1;
using Genie.Contracts.Agent.V1;
using Genie.ServiceDefaults.Grpc.Client;

namespace Genie.ServiceDefaults.Clients;

/// <summary>Typed client of <c>genie.agent.v1.AgentService</c>.</summary>
public sealed class AgentClient(GrpcChannel channel) : GrpcClientBase(channel, AgentReflection.Descriptor.Services[0])
{
    public Task<ServiceInfo> GetServiceInfoAsync(GetServiceInfoRequest request, CallOptions? options = null) =>
        UnaryAsync<GetServiceInfoRequest, ServiceInfo>("GetServiceInfo", request, options, idempotent: true);

    /// <summary>Streams: started, deltas (a fallback notice means "discard the text so far"), citations, completed.</summary>
    public IAsyncEnumerable<ChatEvent> Chat(ChatRequest request, CallOptions? options = null) =>
        ServerStreamingAsync<ChatRequest, ChatEvent>("Chat", request, options);

    public Task<ListConversationsResponse> ListConversationsAsync(ListConversationsRequest request, CallOptions? options = null) =>
        UnaryAsync<ListConversationsRequest, ListConversationsResponse>("ListConversations", request, options, idempotent: true);

    public Task<Conversation> GetConversationAsync(GetConversationRequest request, CallOptions? options = null) =>
        UnaryAsync<GetConversationRequest, Conversation>("GetConversation", request, options, idempotent: true);

    public Task<ConversationSummary> RenameConversationAsync(RenameConversationRequest request, CallOptions? options = null) =>
        UnaryAsync<RenameConversationRequest, ConversationSummary>("RenameConversation", request, options, idempotent: true);

    public Task<DeleteConversationResponse> DeleteConversationAsync(DeleteConversationRequest request, CallOptions? options = null) =>
        UnaryAsync<DeleteConversationRequest, DeleteConversationResponse>("DeleteConversation", request, options);

    /// <summary>Admin only; the reason is stored in the access audit.</summary>
    public Task<Conversation> AdminGetConversationAsync(AdminGetConversationRequest request, CallOptions? options = null) =>
        UnaryAsync<AdminGetConversationRequest, Conversation>("AdminGetConversation", request, options);

    public Task<Feedback> SubmitFeedbackAsync(SubmitFeedbackRequest request, CallOptions? options = null) =>
        UnaryAsync<SubmitFeedbackRequest, Feedback>("SubmitFeedback", request, options, idempotent: true);

    public Task<Preferences> GetPreferencesAsync(GetPreferencesRequest request, CallOptions? options = null) =>
        UnaryAsync<GetPreferencesRequest, Preferences>("GetPreferences", request, options, idempotent: true);

    public Task<Preferences> SetPreferencesAsync(SetPreferencesRequest request, CallOptions? options = null) =>
        UnaryAsync<SetPreferencesRequest, Preferences>("SetPreferences", request, options, idempotent: true);

    public Task<ListLearnedFactsResponse> ListLearnedFactsAsync(ListLearnedFactsRequest request, CallOptions? options = null) =>
        UnaryAsync<ListLearnedFactsRequest, ListLearnedFactsResponse>("ListLearnedFacts", request, options, idempotent: true);

    public Task<DeleteLearnedFactResponse> DeleteLearnedFactAsync(DeleteLearnedFactRequest request, CallOptions? options = null) =>
        UnaryAsync<DeleteLearnedFactRequest, DeleteLearnedFactResponse>("DeleteLearnedFact", request, options);

    /// <summary>Admin only.</summary>
    public Task<ListKnowledgeGapsResponse> ListKnowledgeGapsAsync(ListKnowledgeGapsRequest request, CallOptions? options = null) =>
        UnaryAsync<ListKnowledgeGapsRequest, ListKnowledgeGapsResponse>("ListKnowledgeGaps", request, options, idempotent: true);

    /// <summary>Admin only.</summary>
    public Task<UsageStats> GetUsageStatsAsync(GetUsageStatsRequest request, CallOptions? options = null) =>
        UnaryAsync<GetUsageStatsRequest, UsageStats>("GetUsageStats", request, options, idempotent: true);

    /// <summary>Admin only; every conversation listed is recorded in the access audit.</summary>
    public Task<ListFeedbackResponse> ListFeedbackAsync(ListFeedbackRequest request, CallOptions? options = null) =>
        UnaryAsync<ListFeedbackRequest, ListFeedbackResponse>("ListFeedback", request, options);
}
