namespace Genie.Retrieval.Eval;

/// <summary>Recall@1/5/10 and MRR over ranked document lists, per question then averaged.</summary>
public sealed class RetrievalMetrics
{
    private readonly List<(IReadOnlyList<string> Ranked, IReadOnlySet<string> Relevant)> _results = [];

    public int Count => _results.Count;

    public void Add(IReadOnlyList<string> rankedDocuments, IEnumerable<string> relevant) =>
        _results.Add((rankedDocuments, relevant.ToHashSet(StringComparer.Ordinal)));

    /// <summary>Share of the relevant documents found in the top k, averaged over questions.</summary>
    public double RecallAt(int k) => _results.Count == 0 ? 0 :
        _results.Average(r => r.Ranked.Take(k).Count(r.Relevant.Contains) / (double)r.Relevant.Count);

    /// <summary>Mean of 1/rank of the first relevant document (0 when none is returned).</summary>
    public double MeanReciprocalRank => _results.Count == 0 ? 0 :
        _results.Average(r =>
        {
            var index = r.Ranked.ToList().FindIndex(r.Relevant.Contains);
            return index < 0 ? 0 : 1.0 / (index + 1);
        });
}
