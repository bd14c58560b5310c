using Genie.Agent.Knowledge;
using Genie.Agent.Text;

namespace Genie.Agent.Chat;

/// <summary>
/// Decides which retrieved passages actually speak to the question. Retrieval always returns its best
/// hits, even for questions the documents do not cover; a passage counts only when it contains enough
/// of the question's content terms (in its text, title or heading path) and clears Retrieval's score floor.
/// </summary>
public static class RelevanceGate
{
    public static IReadOnlyList<KnowledgeHit> Filter(string query, IReadOnlyList<KnowledgeHit> hits, double minCoverage, double minScore)
    {
        var queryTerms = Terms.SetOf(query);
        if (queryTerms.Count == 0) return [];
        return hits
            .Where(h => h.Score >= minScore && Coverage(queryTerms, h) >= minCoverage)
            .ToList();
    }

    public static double Coverage(HashSet<string> queryTerms, KnowledgeHit hit)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in (string[])[hit.DocumentTitle, hit.HeadingPath, hit.Text])
        {
            foreach (var term in Terms.Of(part))
            {
                if (queryTerms.Contains(term)) found.Add(term);
            }
        }
        return found.Count / (double)queryTerms.Count;
    }
}
