using System.Numerics.Tensors;

namespace Genie.Retrieval.Embeddings;

/// <summary>
/// Scores sentences by meaning against a query with a knowledge base's embedder: the query embedded as a query
/// (models with a retrieval instruction get it), the sentences as passages, cosine similarity of the two.
/// </summary>
public sealed class SentenceScorer(EmbedderFactory embedders)
{
    public async Task<double[]> ScoreAsync(EmbedderChoice embedder, string query, IReadOnlyList<string> sentences, CancellationToken cancellationToken)
    {
        using var queries = embedders.CreateForQueries(embedder);
        using var passages = embedders.Create(embedder);
        var queryVector = (await queries.GenerateAsync([query], cancellationToken: cancellationToken))[0].Vector;
        var sentenceVectors = await passages.GenerateAsync(sentences, cancellationToken: cancellationToken);
        return sentenceVectors.Select(v => (double)TensorPrimitives.CosineSimilarity(queryVector.Span, v.Vector.Span)).ToArray();
    }
}
