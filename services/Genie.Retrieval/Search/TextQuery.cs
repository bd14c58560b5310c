using Genie.Retrieval.Embeddings;

namespace Genie.Retrieval.Search;

/// <summary>
/// Builds the full-text query: the content words of the question OR-ed together, so a chunk that
/// matches some of them is still a candidate (ts_rank_cd ranks those matching more, closer, higher).
/// Words are letters and digits only, so the result is always valid <c>to_tsquery</c> input.
/// </summary>
public static class TextQuery
{
    public static string? Build(string query)
    {
        var words = TextFeatures.Words(query).Where(w => !TextFeatures.IsStopWord(w)).Distinct().Take(32).ToList();
        return words.Count == 0 ? null : string.Join(" | ", words);
    }
}
