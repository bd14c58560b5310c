namespace Genie.Retrieval.Search;

/// <summary>
/// The full-text side of one question, planned from its lexemes (PostgreSQL's <c>english</c> parsing)
/// and how common each is. Ranking touches every matching row, so the query is built to match about
/// <c>budget</c> rows: first the rarer lexemes, each on its own, then pairs of the common ones
/// ("request &amp; leave": a chunk holding both), rarest first, while their expected matches fit; at
/// least one pair (or the only lexeme) when nothing fits. The candidates are ranked by <see cref="Bm25"/> over all of
/// <see cref="Lexemes"/> (a common word counts little by its idf) plus the cover density of this query. <see cref="Query"/> is
/// <c>tsquery</c> input with every lexeme quoted, so any lexeme is safe.
/// </summary>
public sealed record TextQuery(string Query, IReadOnlyList<string> Lexemes)
{
    public const int MaxLexemes = 16;
    private const int MaxPairedLexemes = 6;

    public static TextQuery? Plan(IReadOnlyList<string> lexemes, Func<string, float> frequency, long scopeChunks, int budget)
    {
        var byRarity = lexemes.Where(l => l.Length > 0).Distinct(StringComparer.Ordinal)
            .Select(l => (Lexeme: l, Share: (double)frequency(l)))
            .OrderBy(t => t.Share)
            .ThenBy(t => t.Lexeme, StringComparer.Ordinal)
            .Take(MaxLexemes)
            .ToList();
        if (byRarity.Count == 0)
            return null;

        var candidates = new List<string>();
        var expected = 0.0;
        var single = 0;
        for (; single < byRarity.Count; single++)
        {
            var matches = byRarity[single].Share * scopeChunks;
            if (expected + matches > budget)
                break;
            candidates.Add(Quote(byRarity[single].Lexeme));
            expected += matches;
        }

        var common = byRarity.Skip(single).Take(MaxPairedLexemes).ToList();
        var pairs = new List<(string Query, double Matches)>();
        for (var i = 0; i < common.Count; i++)
            for (var j = i + 1; j < common.Count; j++)
                pairs.Add(($"({Quote(common[i].Lexeme)} & {Quote(common[j].Lexeme)})", common[i].Share * common[j].Share * scopeChunks));
        pairs.Sort((a, b) => a.Matches.CompareTo(b.Matches));
        foreach (var (query, matches) in pairs)
        {
            if (expected + matches > budget)
                break;
            candidates.Add(query);
            expected += matches;
        }
        if (candidates.Count == 0)
            candidates.Add(pairs.Count > 0 ? pairs[0].Query : Quote(byRarity[0].Lexeme));

        return new TextQuery(string.Join(" | ", candidates), byRarity.Select(t => t.Lexeme).ToList());
    }

    /// <summary>A lexeme as quoted tsquery input: quotes and backslashes doubled, so punctuation cannot become an operator.</summary>
    public static string Quote(string lexeme) => "'" + lexeme.Replace("\\", "\\\\").Replace("'", "''") + "'";
}
