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
public sealed partial class RetrievalKnowledgeSearch(RetrievalService.RetrievalServiceClient retrieval, ILogger<RetrievalKnowledgeSearch> logger) : IKnowledgeSearch
{
    public const string Unavailable = "The knowledge base is unavailable right now; please try again in a moment.";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    // Meaning scores refine an answer that words alone can give: not worth a long wait.
    private static readonly TimeSpan ScoringDeadline = TimeSpan.FromSeconds(5);

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

    public async Task<IReadOnlyList<double>?> ScoreSentencesAsync(SentenceScoring request, CancellationToken cancellationToken)
    {
        try
        {
            var scores = new List<double>(request.Sentences.Count);
            foreach (var batch in request.Sentences.Chunk(MaxScoredSentences))
            {
                var response = await retrieval.ScoreSentencesAsync(
                    new ScoreSentencesRequest { Query = request.Question, Sentences = { batch }, KnowledgeBaseId = request.KnowledgeBaseId },
                    BearerToken.Options(request.UserToken, ScoringDeadline, cancellationToken));
                scores.AddRange(response.Scores);
            }
            return scores.Count == request.Sentences.Count ? scores : null;
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            LogScoringFailed(e.StatusCode, e.Status.Detail);
            return null;
        }
    }

    private const int MaxScoredSentences = 128; // Retrieval's limit per call

    [LoggerMessage(LogLevel.Warning, "Scoring sentences by meaning failed ({Status}: {Detail}); the built-in answer scores words only")]
    private partial void LogScoringFailed(StatusCode status, string detail);
}
