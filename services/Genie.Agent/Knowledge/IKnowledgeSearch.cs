namespace Genie.Agent.Knowledge;

/// <summary>
/// Searches the knowledge bases the caller may read. Implementations forward the caller's own token:
/// permission filtering happens at the source (Retrieval), never here.
/// </summary>
public interface IKnowledgeSearch
{
    Task<IReadOnlyList<KnowledgeHit>> SearchAsync(KnowledgeQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// How close in meaning each sentence is to the question (cosine similarity under the knowledge base's embedder), in
    /// order; null when this search cannot tell (the built-in answerer then scores words only).
    /// </summary>
    Task<IReadOnlyList<double>?> ScoreSentencesAsync(SentenceScoring request, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<double>?>(null);
}

/// <param name="KnowledgeBaseId">Whose embedder scores (the knowledge base of the top passage).</param>
public sealed record SentenceScoring(string Question, IReadOnlyList<string> Sentences, string UserToken, string KnowledgeBaseId);

/// <param name="UserToken">The caller's bearer token, forwarded unchanged.</param>
public sealed record KnowledgeQuery(string Text, string UserToken, IReadOnlyList<string> KnowledgeBaseIds, int TopK);

/// <summary>One passage found by search, with what a citation needs.</summary>
public sealed record KnowledgeHit(
    string ChunkId,
    string KnowledgeBaseId,
    string Text,
    string Snippet,
    string DocumentTitle,
    string Uri,
    string HeadingPath,
    string Source,
    double Score);
