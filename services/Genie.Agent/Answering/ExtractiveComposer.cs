using System.Text;
using System.Text.RegularExpressions;
using Genie.Agent.Prompting;
using Genie.Agent.Text;
using Genie.Contracts.Agent.V1;

namespace Genie.Agent.Answering;

/// <summary>
/// The built-in answerer's core: picks the sentences of the top passages that best cover the question
/// and quotes them with [n] markers, as many as the length preference allows, the best one first.
/// Sentences holding the kind of fact asked for (a number for "how many/long/much", a domain or address
/// for "what domain/site/email") are preferred; worked examples ("for example, 104 hours…") are not
/// the rule and weigh less. Questions, navigation boilerplate and sentences written to an AI assistant
/// ("ignore previous instructions…") are never quoted. Deterministic: the same question and passages
/// always give the same answer.
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

        Score(candidates, sources, queryTerms, FactKindOf(question));
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
                if (AddressesAnAssistant().IsMatch(sentence) || sentence.EndsWith('?') || Navigation().IsMatch(sentence)) continue;
                candidates.Add(new Candidate(source.Number, position++, sentence, Terms.SetOf(sentence)));
            }
        }
        return candidates;
    }

    /// <summary>What kind of fact a question asks for, when its wording says so.</summary>
    public enum FactKind
    {
        Any,
        Number,
        Address,
    }

    public static FactKind FactKindOf(string question) =>
        AsksForNumber().IsMatch(question) ? FactKind.Number : AsksForAddress().IsMatch(question) ? FactKind.Address : FactKind.Any;

    private static bool Holds(FactKind kind, string sentence) => kind switch
    {
        FactKind.Number => HasNumber().IsMatch(sentence),
        FactKind.Address => HasAddress().IsMatch(sentence),
        _ => true,
    };

    private static void Score(List<Candidate> candidates, IReadOnlyList<SourceFence.FencedSource> sources, HashSet<string> queryTerms, FactKind kind)
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
            var fact = kind == FactKind.Any ? 1.0 : Holds(kind, c.Sentence) ? 1.3 : 1.0;
            var example = IsExample().IsMatch(c.Sentence) ? 0.7 : 1.0;
            c.Score = (coverage + 0.35 * context * (coverage > 0 ? 1 : 0.5) + lead) * shape * rank * fact * example;
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
        // The fact first: the source of the best sentence leads with that sentence; the rest of a
        // source's sentences follow in the document's order, sources in order of their best sentence.
        var groups = chosen.GroupBy(c => c.Source).OrderByDescending(g => g.Max(c => c.Score)).ThenBy(g => g.Key).ToList();
        var answer = new StringBuilder();
        foreach (var group in groups)
        {
            if (answer.Length > 0) answer.Append(length == AnswerLength.Short ? " " : "\n\n");
            var best = group.OrderByDescending(c => c.Score).ThenBy(c => c.Position).First();
            answer.AppendJoin(' ', group.OrderBy(c => c == best ? 0 : 1).ThenBy(c => c.Position).Select(c => c.Sentence));
            answer.Append(" [").Append(group.Key).Append(']');
        }
        return answer.ToString();
    }

    [GeneratedRegex(@"^\s*(how (many|much|long|often|old|soon|far|early|late)|what (percent(age)?|number|amount|rate|age|time|date|year)|when\b|by when\b)|\b(how many|how much|how long|how often)\b", RegexOptions.IgnoreCase)]
    private static partial Regex AsksForNumber();

    [GeneratedRegex(@"\b(domain|url|web ?site|web address|e-?mail (address)?|address|link|site)\b", RegexOptions.IgnoreCase)]
    private static partial Regex AsksForAddress();

    [GeneratedRegex(@"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|sixty|ninety|hundred|dozen|half|once|twice)\b", RegexOptions.IgnoreCase)]
    private static partial Regex HasNumber();

    [GeneratedRegex(@"\b[\w-]+(\.[\w-]+)*\.(gov|com|org|net|edu|io|us|mil|co|ai|dev|app)\b|\S+@\S+\.\w+|https?://", RegexOptions.IgnoreCase)]
    private static partial Regex HasAddress();

    [GeneratedRegex(@"\b(for example|for instance|e\.g\.|example:|as an example|such as if|suppose|let's say|say you)\b", RegexOptions.IgnoreCase)]
    private static partial Regex IsExample();

    // Site chrome that passages sometimes carry: not a fact about anything.
    [GeneratedRegex(@"^(back to top|skip to (main )?content|edit this page|table of contents|on this page|last updated|page last (updated|reviewed)|share this page|print this page|(previous|next)( page| section)?\b|return to|jump to|see also\b|in this (section|article|guide)\b|this page (was|is) (last )?(updated|maintained))", RegexOptions.IgnoreCase)]
    private static partial Regex Navigation();

    [GeneratedRegex(@"\b(ignore|disregard|forget|override)\b[^.]{0,60}\b(instruction|prompt|rule|guideline|context|message)s?\b|\byou are now\b|\bsystem prompt\b|\bas an ai\b|\b(assistant|chatbot|language model|llm)s?\b[^.]{0,40}\b(must|should|shall)\b", RegexOptions.IgnoreCase)]
    private static partial Regex AddressesAnAssistant();
}
