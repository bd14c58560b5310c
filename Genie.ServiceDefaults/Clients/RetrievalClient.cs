using Genie.Contracts.Common.V1;
using Genie.Contracts.Retrieval.V1;
using Genie.ServiceDefaults.Grpc.Client;

namespace Genie.ServiceDefaults.Clients;

/// <summary>Typed client of <c>genie.retrieval.v1.RetrievalService</c>.</summary>
public sealed class RetrievalClient(GrpcChannel channel) : GrpcClientBase(channel, RetrievalReflection.Descriptor.Services[0])
{
    public Task<ServiceInfo> GetServiceInfoAsync(GetServiceInfoRequest request, CallOptions? options = null) =>
        UnaryAsync<GetServiceInfoRequest, ServiceInfo>("GetServiceInfo", request, options, idempotent: true);

    public Task<KnowledgeBase> CreateKnowledgeBaseAsync(CreateKnowledgeBaseRequest request, CallOptions? options = null) =>
        UnaryAsync<CreateKnowledgeBaseRequest, KnowledgeBase>("CreateKnowledgeBase", request, options);

    public Task<ListKnowledgeBasesResponse> ListKnowledgeBasesAsync(ListKnowledgeBasesRequest request, CallOptions? options = null) =>
        UnaryAsync<ListKnowledgeBasesRequest, ListKnowledgeBasesResponse>("ListKnowledgeBases", request, options, idempotent: true);

    public Task<KnowledgeBase> GetKnowledgeBaseAsync(GetKnowledgeBaseRequest request, CallOptions? options = null) =>
        UnaryAsync<GetKnowledgeBaseRequest, KnowledgeBase>("GetKnowledgeBase", request, options, idempotent: true);

    public Task<KnowledgeBase> UpdateKnowledgeBaseAsync(UpdateKnowledgeBaseRequest request, CallOptions? options = null) =>
        UnaryAsync<UpdateKnowledgeBaseRequest, KnowledgeBase>("UpdateKnowledgeBase", request, options);

    public Task<DeleteKnowledgeBaseResponse> DeleteKnowledgeBaseAsync(DeleteKnowledgeBaseRequest request, CallOptions? options = null) =>
        UnaryAsync<DeleteKnowledgeBaseRequest, DeleteKnowledgeBaseResponse>("DeleteKnowledgeBase", request, options);

    public Task<KnowledgeBase> SetGrantsAsync(SetGrantsRequest request, CallOptions? options = null) =>
        UnaryAsync<SetGrantsRequest, KnowledgeBase>("SetGrants", request, options, idempotent: true);

    public Task<Source> AddSourceAsync(AddSourceRequest request, CallOptions? options = null) =>
        UnaryAsync<AddSourceRequest, Source>("AddSource", request, options);

    public Task<ListSourcesResponse> ListSourcesAsync(ListSourcesRequest request, CallOptions? options = null) =>
        UnaryAsync<ListSourcesRequest, ListSourcesResponse>("ListSources", request, options, idempotent: true);

    public Task<Source> UpdateSourceAsync(UpdateSourceRequest request, CallOptions? options = null) =>
        UnaryAsync<UpdateSourceRequest, Source>("UpdateSource", request, options);

    public Task<RemoveSourceResponse> RemoveSourceAsync(RemoveSourceRequest request, CallOptions? options = null) =>
        UnaryAsync<RemoveSourceRequest, RemoveSourceResponse>("RemoveSource", request, options);

    public Task<UploadDocumentResponse> UploadDocumentAsync(UploadDocumentRequest request, CallOptions? options = null) =>
        UnaryAsync<UploadDocumentRequest, UploadDocumentResponse>("UploadDocument", request, options);

    public Task<ListSyncRunsResponse> ListSyncRunsAsync(ListSyncRunsRequest request, CallOptions? options = null) =>
        UnaryAsync<ListSyncRunsRequest, ListSyncRunsResponse>("ListSyncRuns", request, options, idempotent: true);

    public Task<ListDocumentsResponse> ListDocumentsAsync(ListDocumentsRequest request, CallOptions? options = null) =>
        UnaryAsync<ListDocumentsRequest, ListDocumentsResponse>("ListDocuments", request, options, idempotent: true);

    public Task<Document> GetDocumentAsync(GetDocumentRequest request, CallOptions? options = null) =>
        UnaryAsync<GetDocumentRequest, Document>("GetDocument", request, options, idempotent: true);

    public Task<Chunk> GetChunkAsync(GetChunkRequest request, CallOptions? options = null) =>
        UnaryAsync<GetChunkRequest, Chunk>("GetChunk", request, options, idempotent: true);

    public Task<SearchResponse> SearchAsync(SearchRequest request, CallOptions? options = null) =>
        UnaryAsync<SearchRequest, SearchResponse>("Search", request, options, idempotent: true);

    public Task<EmbedResponse> EmbedAsync(EmbedRequest request, CallOptions? options = null) =>
        UnaryAsync<EmbedRequest, EmbedResponse>("Embed", request, options, idempotent: true);

    /// <summary>Runs a sync and yields its progress; the last message has <c>Done</c> set.</summary>
    public IAsyncEnumerable<SyncProgress> SyncSource(SyncSourceRequest request, CallOptions? options = null) =>
        ServerStreamingAsync<SyncSourceRequest, SyncProgress>("SyncSource", request, options);
}
