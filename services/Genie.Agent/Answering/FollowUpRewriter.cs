using Genie.Agent.Text;

namespace Genie.Agent.Answering;

/// <summary>
/// Turns a follow-up ("and how long does that take?") into a standalone search query by carrying the
/// subject of the previous question along ("PIV card: and how long does that take?"). Deterministic and
/// free, so it runs the same whatever model answers; a question that stands on its own is left alone.
/// </summary>
public static class FollowUpRewriter
{
    private const int MaxCarriedWords = 8;

    private static readonly string[] Connectors =
        ["and ", "also ", "but ", "so ", "then ", "or ", "what about ", "how about ", "and what ", "what if ", "same for ", "why "];

    private static readonly HashSet<string> Pronouns = new(StringComparer.Ordinal)
    {
        "it", "its", "that", "this", "those", "these", "they", "them", "their", "there", "one", "ones", "same", "he", "she", "him", "her",
    };

    /// <param name="previousQuery">The standalone query of the previous user turn; null at the start of a conversation.</param>
    public static string Rewrite(string message, string? previousQuery)
    {
        var trimmed = message.Trim();
        if (string.IsNullOrWhiteSpace(previousQuery) || !IsFollowUp(trimmed)) return trimmed;

        var own = Terms.SetOf(trimmed);
        var carried = new List<string>();
        foreach (var word in SubjectWords(previousQuery))
        {
            if (own.Contains(Terms.Stem(word.ToLowerInvariant())) || carried.Contains(word, StringComparer.OrdinalIgnoreCase)) continue;
            carried.Add(word);
            if (carried.Count == MaxCarriedWords) break;
        }
        return carried.Count == 0 ? trimmed : $"{string.Join(' ', carried)}: {trimmed}";
    }

    public static bool IsFollowUp(string message)
    {
        var lower = message.ToLowerInvariant();
        if (Connectors.Any(c => lower.StartsWith(c, StringComparison.Ordinal))) return true;
        var words = Terms.Words(lower);
        var contentTerms = Terms.Of(lower).Count;
        return contentTerms <= 1 || (contentTerms <= 3 && words.Any(Pronouns.Contains));
    }

    /// <summary>The previous query's content words in their original spelling; the part before a carried "subject:" prefix first.</summary>
    private static IEnumerable<string> SubjectWords(string previousQuery)
    {
        foreach (var word in previousQuery.Split([' ', '?', '!', ',', ';', ':', '(', ')', '"'], StringSplitOptions.RemoveEmptyEntries))
        {
            var clean = word.Trim('.', '\'');
            if (clean.Length == 0) continue;
            var lower = clean.ToLowerInvariant();
            if (Terms.IsStopWord(lower) || Pronouns.Contains(lower) || (lower.Length == 1 && !char.IsDigit(lower[0]))) continue;
            yield return clean;
        }
    }
}
