namespace Genie.Retrieval.Search;

/// <summary>
/// How the full-text candidates are ranked: Okapi BM25 plus a proximity term. For each question lexeme a chunk
/// holds, idf × tf·(k1 + 1) / (tf + k1·(1 − b + b·len / avglen)), summed; tf counts the lexeme's positions in the
/// chunk's <c>search_text</c>, a position in the title or heading path (weight A) counting <see cref="TitleWeight"/>
/// times; len is the chunk's distinct lexemes, avglen their average over the knowledge bases searched. To the sum
/// is added <see cref="ProximityWeight"/> × ts_rank_cd of the planned query (cover density: the question's words
/// close together), which BM25 alone does not see. The scoring runs in SQL (<see cref="HybridSearcher"/>); this
/// holds the constants and the idf.
/// </summary>
public static class Bm25
{
    public const double K1 = 1.2;
    public const double B = 0.75;

    /// <summary>A title or heading position counts this many times a body one (ts_rank_cd's default weights: A 1.0, B 0.4).</summary>
    public const double TitleWeight = 2.5;

    /// <summary>Weight of ts_rank_cd beside BM25, chosen on the dev sets (README, "Full-text ranking").</summary>
    public const double ProximityWeight = 5;

    /// <summary>
    /// Inverse document frequency of a lexeme held by <paramref name="share"/> of the <paramref name="chunks"/> searched
    /// (Lucene's form, never negative): ln(1 + (N − n + 0.5) / (n + 0.5)).
    /// </summary>
    public static double Idf(double share, long chunks)
    {
        var n = Math.Clamp(share, 0, 1) * chunks;
        return Math.Log(1 + (chunks - n + 0.5) / (n + 0.5));
    }
}
