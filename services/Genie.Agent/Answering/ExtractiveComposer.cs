using System.Text;
using System.Text.RegularExpressions;
using Genie.Agent.Prompting;
using Genie.Agent.Text;
using Genie.Contracts.Agent.V1;

namespace Genie.Agent.Answering;

/// <summary>
/// The built-in answerer's core: picks the sentences of the top passages that best cover the question
/// and quotes them with [n] markers, as many as the length preference allows. Deterministic: the same
/// question and passages always give the same answer. Sentences written to an AI assistant
/// ("ignore previous instructions…") are never quoted: they are not facts about the company.
/// </summary>
public static partial class ExtractiveComposer
{
    public const string NotCoveredAnswer =
        "The documentation I can search does not cover this, so I won't guess. I've noted the question so the documentation can be improved.";

    private sealed record Candidate(int Source, int Position, string Sentence, HashSet<string> Terms)
    {
        public double Score { get; set; }
    }

    public static int SentenceBudget(AnswerLength length) => length switch
    {
        AnswerLength.Short => 2,
        AnswerLength.Long => 8,
        _ => 4,
    };

    public static string Compose(string question, IReadOnlyList<SourceFence.FencedSource> sources, AnswerLength length)
    {
        if (sources.Count == 0) return NotCoveredAnswer;
        var queryTerms = Terms.SetOf(question);
        var candidates = Candidates(sources);
        if (candidates.Count == 0) return NotCoveredAnswer;

        Score(candidates, sources, queryTerms);
        var chosen = Choose(candidates, SentenceBudget(length));
        return Render(chosen, length);
    }

    private static List<Candidate> Candidates(IReadOnlyList<SourceFence.FencedSource> sources)
    {
        var candidates = new List<Candidate>();
        foreach (var source in sources)
        {
            var position = 0;
            foreach (var sentence in PassageSentences.Split(source.Text))
            {
                if (AddressesAnAssistant().IsMatch(sentence)) continue;
                candidates.Add(new Candidate(source.Number, position++, sentence, Terms.SetOf(sentence)));
            }
        }
        return candidates;
    }

    private static void Score(List<Candidate> candidates, IReadOnlyList<SourceFence.FencedSource> sources, HashSet<string> queryTerms)
    {
        // Inverse document frequency over the candidate sentences: a term every sentence has says little.
        var idf = queryTerms.ToDictionary(t => t, t =>
        {
            var df = candidates.Count(c => c.Terms.Contains(t));
            return Math.Log(1 + (candidates.Count + 1.0) / (df + 0.5));
        });
        var totalWeight = Math.Max(idf.Values.Sum(), 1e-9);
        var rankOf = sources.Select((s, i) => (s.Number, i)).ToDictionary(x => x.Number, x => x.i);
        var contextTerms = sources.ToDictionary(s => s.Number, s => Terms.SetOf(s.Title + " " + s.HeadingPath));

        foreach (var c in candidates)
        {
            var coverage = queryTerms.Where(c.Terms.Contains).Sum(t => idf[t]) / totalWeight;
            var context = queryTerms.Where(contextTerms[c.Source].Contains).Sum(t => idf[t]) / totalWeight;
            var words = c.Sentence.Count(ch => ch == ' ') + 1;
            var shape = words < 6 ? 0.7 : words > 50 ? 0.75 : 1.0;
            var rank = 1.0 - 0.04 * Math.Min(rankOf[c.Source], 10);
            var lead = c.Position == 0 ? 0.05 : 0;
            c.Score = (coverage + 0.35 * context * (coverage > 0 ? 1 : 0.5) + lead) * shape * rank;
        }
    }

    private static List<Candidate> Choose(List<Candidate> candidates, int budget)
    {
        var ranked = candidates
            .OrderByDescending(c => c.Score).ThenBy(c => c.Source).ThenBy(c => c.Position)
            .ToList();
        var best = ranked[0].Score;
        var chosen = new List<Candidate>();
        foreach (var c in ranked)
        {
            if (chosen.Count == budget) break;
            if (chosen.Count > 0 && c.Score < best * 0.35) break;
            if (chosen.Any(o => Similar(o.Terms, c.Terms))) continue;
            chosen.Add(c);
        }
        return chosen;
    }

    private static bool Similar(HashSet<string> a, HashSet<string> b)
    {
        if (a.Count == 0 || b.Count == 0) return false;
        var shared = a.Count(b.Contains);
        return shared / (double)(a.Count + b.Count - shared) > 0.7;
    }

    private static string Render(List<Candidate> chosen, AnswerLength length)
    {
        // Keep the documents' own order: by source number, then by position inside the passage.
        var groups = chosen.OrderBy(c => c.Source).ThenBy(c => c.Position).GroupBy(c => c.Source).ToList();
        var answer = new StringBuilder();
        foreach (var group in groups)
        {
            if (answer.Length > 0) answer.Append(length == AnswerLength.Short ? " " : "\n\n");
            answer.AppendJoin(' ', group.Select(c => c.Sentence));
            answer.Append(" [").Append(group.Key).Append(']');
        }
        return answer.ToString();
    }

    [GeneratedRegex(@"\b(ignore|disregard|forget|override)\b[^.]{0,60}\b(instruction|prompt|rule|guideline|context|message)s?\b|\byou are now\b|\bsystem prompt\b|\bas an ai\b|\b(assistant|chatbot|language model|llm)s?\b[^.]{0,40}\b(must|should|shall)\b", RegexOptions.IgnoreCase)]
    private static partial Regex AddressesAnAssistant();
}
