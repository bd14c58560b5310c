using Genie.Contracts.Retrieval.V1;
using Genie.ServiceDefaults.Clients;
using Genie.ServiceDefaults.Rpc;
using Grpc.Core;

namespace Genie.Agent.Knowledge;

/// <summary>
/// Searches through the Retrieval service with the caller's own bearer token, so Retrieval applies that
/// user's grants; the Agent never searches with a service identity. Retrieval down or too slow (after the client's
/// retries, within <see cref="Deadline"/>) ends the chat with UNAVAILABLE and <see cref="Unavailable"/>: nothing is stored.
/// </summary>
public sealed class RetrievalKnowledgeSearch(RetrievalService.RetrievalServiceClient retrieval) : IKnowledgeSearch
{
    public const string Unavailable = "The knowledge base is unavailable right now; please try again in a moment.";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(KnowledgeQuery query, CancellationToken cancellationToken)
    {
        var request = new SearchRequest { Query = query.Text, TopK = query.TopK };
        request.KnowledgeBaseIds.AddRange(query.KnowledgeBaseIds);
        SearchResponse response;
        try
        {
            response = await retrieval.SearchAsync(request, BearerToken.Options(query.UserToken, Deadline, cancellationToken));
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded && !cancellationToken.IsCancellationRequested)
        {
            throw RpcErrors.Of(StatusCode.Unavailable, Unavailable);
        }
        return response.Hits.Select(h => new KnowledgeHit(
            h.ChunkId,
            h.KnowledgeBaseId,
            h.Text,
            h.Snippet,
            h.DocumentTitle,
            h.Uri,
            string.Join(" > ", h.HeadingPath),
            h.SourceName,
            h.Score)).ToList();
    }
}
