namespace Genie.Agent.Gaps;

/// <summary>A question the documentation did not cover.</summary>
public sealed record GapQuestion(string Question, IReadOnlyCollection<string> Terms, string UserId, string? Team, DateTime AskedAt);

public sealed record GapGroup(
    string RepresentativeQuestion,
    IReadOnlyList<GapQuestion> Members,
    IReadOnlyList<string> KeyTerms)
{
    public int Count => Members.Count;
}

/// <summary>
/// Groups uncovered questions that ask about the same thing: a question joins the group whose seed
/// shares at least two of its content terms and most of the smaller term set (overlap coefficient),
/// so "how do I set up the service mesh?" and "where are the service mesh docs?" land together.
/// </summary>
public static class GapGrouper
{
    public const double MinOverlap = 0.6;

    public static IReadOnlyList<GapGroup> Group(IEnumerable<GapQuestion> questions)
    {
        var groups = new List<(HashSet<string> Seed, List<GapQuestion> Members)>();
        foreach (var question in questions.OrderBy(q => q.AskedAt))
        {
            var terms = question.Terms.ToHashSet(StringComparer.Ordinal);
            var best = groups
                .Select(g => (Group: g, Score: Overlap(g.Seed, terms)))
                .Where(x => x.Score >= MinOverlap)
                .OrderByDescending(x => x.Score)
                .FirstOrDefault();
            if (best.Group.Members is null) groups.Add((terms, [question]));
            else best.Group.Members.Add(question);
        }
        return groups
            .Select(g => new GapGroup(Representative(g.Members), g.Members, KeyTerms(g.Members)))
            .OrderByDescending(g => g.Count).ThenByDescending(g => g.Members.Max(m => m.AskedAt))
            .ToList();
    }

    private static double Overlap(HashSet<string> a, HashSet<string> b)
    {
        if (a.Count == 0 || b.Count == 0) return a.SetEquals(b) ? 1 : 0;
        var shared = a.Count(b.Contains);
        if (shared < Math.Min(2, Math.Min(a.Count, b.Count))) return 0;
        return shared / (double)Math.Min(a.Count, b.Count);
    }

    /// <summary>The member sharing the most terms with the others; ties go to the earliest.</summary>
    private static string Representative(List<GapQuestion> members) =>
        members
            .Select((m, i) => (m, i, Score: members.Sum(o => ReferenceEquals(o, m) ? 0 : m.Terms.Count(o.Terms.Contains))))
            .OrderByDescending(x => x.Score).ThenBy(x => x.i)
            .First().m.Question;

    private static IReadOnlyList<string> KeyTerms(List<GapQuestion> members) =>
        members.SelectMany(m => m.Terms.Distinct())
            .GroupBy(t => t)
            .Where(g => g.Count() * 2 >= members.Count)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key)
            .ToList();
}
