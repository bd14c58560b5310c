using Genie.Agent.Knowledge;
using Genie.Agent.Text;

namespace Genie.Agent.Bench;

/// <summary>An in-memory BM25 index standing in for Retrieval's search so the benchmark isolates the Agent.</summary>
public sealed class Bm25Index : IKnowledgeSearch
{
    private const double K1 = 1.2, B = 0.75;
    private readonly IReadOnlyList<KnowledgeHit> _chunks;
    private readonly Dictionary<string, List<(int Chunk, int Tf)>> _postings = new(StringComparer.Ordinal);
    private readonly int[] _lengths;
    private readonly double _averageLength;

    public Bm25Index(IReadOnlyList<KnowledgeHit> chunks)
    {
        _chunks = chunks;
        _lengths = new int[chunks.Count];
        for (var i = 0; i < chunks.Count; i++)
        {
            var terms = Terms.Of($"{chunks[i].HeadingPath} {chunks[i].Text}");
            _lengths[i] = terms.Count;
            foreach (var group in terms.GroupBy(t => t))
            {
                if (!_postings.TryGetValue(group.Key, out var list)) _postings[group.Key] = list = [];
                list.Add((i, group.Count()));
            }
        }
        _averageLength = _lengths.Average();
    }

    public Task<IReadOnlyList<KnowledgeHit>> SearchAsync(KnowledgeQuery query, CancellationToken cancellationToken)
    {
        var scores = new Dictionary<int, double>();
        foreach (var term in Terms.SetOf(query.Text))
        {
            if (!_postings.TryGetValue(term, out var postings)) continue;
            var idf = Math.Log(1 + (_chunks.Count - postings.Count + 0.5) / (postings.Count + 0.5));
            foreach (var (chunk, tf) in postings)
            {
                var norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * _lengths[chunk] / _averageLength));
                scores[chunk] = scores.GetValueOrDefault(chunk) + idf * norm;
            }
        }
        IReadOnlyList<KnowledgeHit> hits = scores.OrderByDescending(s => s.Value).ThenBy(s => s.Key).Take(query.TopK)
            .Select(s => _chunks[s.Key] with { Score = s.Value }).ToList();
        return Task.FromResult(hits);
    }
}
