namespace Genie.Retrieval.Search;

/// <summary>
/// Reciprocal-rank fusion: each ranked list gives an item weight/(k + rank) (weight 1 unless given);
/// the sums order the result. Scores are scaled to 0..1, where 1 means first in every list.
/// </summary>
public static class ReciprocalRankFusion
{
    public const int DefaultK = 60;

    public sealed record Fused<T>(T Item, double Score, IReadOnlyList<int> Ranks);

    public static IReadOnlyList<Fused<T>> Fuse<T>(IReadOnlyList<IReadOnlyList<T>> lists, int k = DefaultK, IReadOnlyList<double>? weights = null) where T : notnull
    {
        var scores = new Dictionary<T, (double Score, int[] Ranks, int FirstSeen)>();
        var order = 0;
        for (var list = 0; list < lists.Count; list++)
        {
            for (var position = 0; position < lists[list].Count; position++)
            {
                var item = lists[list][position];
                if (!scores.TryGetValue(item, out var entry))
                    entry = (0, new int[lists.Count], order++);
                if (entry.Ranks[list] != 0)
                    continue; // a list naming an item twice counts its best rank only
                entry.Ranks[list] = position + 1;
                entry.Score += (weights?[list] ?? 1.0) / (k + position + 1);
                scores[item] = entry;
            }
        }
        var best = Enumerable.Range(0, lists.Count).Where(i => lists[i].Count > 0).Sum(i => weights?[i] ?? 1.0) / (k + 1);
        return scores
            .OrderByDescending(s => s.Value.Score)
            .ThenBy(s => s.Value.FirstSeen)
            .Select(s => new Fused<T>(s.Key, best > 0 ? s.Value.Score / best : 0, s.Value.Ranks))
            .ToList();
    }
}
