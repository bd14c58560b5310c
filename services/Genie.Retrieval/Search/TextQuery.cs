using Genie.Retrieval.Embeddings;

namespace Genie.Retrieval.Search;

/// <summary>
/// Builds the full-text queries from a question's content words (letters and digits only, so always
/// valid <c>to_tsquery</c> input). <see cref="Any"/> ORs the words; <see cref="AtLeastTwo"/> asks for
/// any two of them ("minimum should match"), which keeps common words from dragging thousands of
/// chunks into ranking; the search falls back to <see cref="Any"/> when that finds too little.
/// </summary>
public sealed record TextQuery(string Any, string? AtLeastTwo)
{
    private const int MaxWords = 12;

    public static TextQuery? Build(string query)
    {
        var words = TextFeatures.Words(query).Where(w => !TextFeatures.IsStopWord(w)).Distinct().Take(MaxWords).ToList();
        if (words.Count == 0)
            return null;
        string? pairs = null;
        if (words.Count >= 3)
        {
            var terms = new List<string>();
            for (var i = 0; i < words.Count; i++)
                for (var j = i + 1; j < words.Count; j++)
                    terms.Add($"({words[i]} & {words[j]})");
            pairs = string.Join(" | ", terms);
        }
        return new TextQuery(string.Join(" | ", words), pairs);
    }
}
