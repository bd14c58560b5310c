using Genie.Contracts.Retrieval.V1;
using Genie.ServiceDefaults.Clients;

namespace Genie.Agent.Knowledge;

/// <summary>
/// Searches through the Retrieval service with the caller's own bearer token, so Retrieval applies that
/// user's grants; the Agent never searches with a service identity.
/// </summary>
public sealed class RetrievalKnowledgeSearch(RetrievalService.RetrievalServiceClient retrieval) : IKnowledgeSearch
{
    public async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(KnowledgeQuery query, CancellationToken cancellationToken)
    {
        var request = new SearchRequest { Query = query.Text, TopK = query.TopK };
        request.KnowledgeBaseIds.AddRange(query.KnowledgeBaseIds);
        var response = await retrieval.SearchAsync(request, BearerToken.Options(query.UserToken, TimeSpan.FromSeconds(10), cancellationToken));
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
