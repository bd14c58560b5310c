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
/// the rule and weigh less. When the knowledge base's embedder has scored the sentences (Retrieval's ScoreSentences),
/// meaning counts as much as word overlap, so "New parents get 12 weeks off" can answer "how long is parental leave". Questions, navigation boilerplate and sentences written to an AI assistant
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

        /// <summary>The score by words alone (equal to <see cref="Score"/> when there are no meaning scores).</summary>
        public double WordScore { get; set; }
    }

    public static int SentenceBudget(AnswerLength length) => length switch
    {
        AnswerLength.Short => 2,
        AnswerLength.Long => 8,
        _ => 4,
    };

    /// <summary>The sentences <see cref="Compose"/> chooses from, in the order its <c>meaning</c> scores follow.</summary>
    public static IReadOnlyList<string> Sentences(IReadOnlyList<SourceFence.FencedSource> sources) =>
        Candidates(sources).Select(c => c.Sentence).ToList();

    /// <param name="meaning">
    /// How close in meaning each of <see cref="Sentences"/> is to the question (cosine similarity), or null to score words only.
    /// </param>
    public static string Compose(string question, IReadOnlyList<SourceFence.FencedSource> sources, AnswerLength length, IReadOnlyList<double>? meaning = null)
    {
        if (sources.Count == 0) return NotCoveredAnswer;
        var queryTerms = Terms.SetOf(question);
        var candidates = Candidates(sources);
        if (candidates.Count == 0) return NotCoveredAnswer;

        Score(candidates, sources, queryTerms, FactKindOf(question), meaning?.Count == candidates.Count ? meaning : null);
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

    /// <summary>How much meaning counts against word overlap when both are known (chosen with <c>eval --answers</c>).</summary>
    public const double MeaningWeight = 0.5;

    private static void Score(
        List<Candidate> candidates, IReadOnlyList<SourceFence.FencedSource> sources, HashSet<string> queryTerms, FactKind kind, IReadOnlyList<double>? meaning)
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

        var lexical = candidates.Select(c =>
        {
            var coverage = queryTerms.Where(c.Terms.Contains).Sum(t => idf[t]) / totalWeight;
            var context = queryTerms.Where(contextTerms[c.Source].Contains).Sum(t => idf[t]) / totalWeight;
            return coverage + 0.35 * context * (coverage > 0 ? 1 : 0.5) + (c.Position == 0 ? 0.05 : 0);
        }).ToArray();
        var relevance = meaning is null ? lexical : Blend(lexical, meaning);

        for (var i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i];
            var words = c.Sentence.Count(ch => ch == ' ') + 1;
            var shape = words < 6 ? 0.7 : words > 50 ? 0.75 : 1.0;
            var rank = 1.0 - 0.04 * Math.Min(rankOf[c.Source], 10);
            var fact = kind == FactKind.Any ? 1.0 : Holds(kind, c.Sentence) ? 1.3 : 1.0;
            var example = IsExample().IsMatch(c.Sentence) ? 0.7 : 1.0;
            c.Score = relevance[i] * shape * rank * fact * example;
            c.WordScore = lexical[i] * shape * rank * fact * example;
        }
    }

    /// <summary>
    /// Word overlap and meaning, each scaled to 0..1 over the candidates (cosines of one embedder sit in a narrow band
    /// that differs by model, so only their spread is used), mixed by <see cref="MeaningWeight"/>.
    /// </summary>
    private static double[] Blend(double[] lexical, IReadOnlyList<double> meaning)
    {
        var maxLexical = Math.Max(lexical.Max(), 1e-9);
        var (low, high) = (meaning.Min(), meaning.Max());
        var spread = high - low;
        return lexical.Select((l, i) =>
            (1 - MeaningWeight) * l / maxLexical + MeaningWeight * (spread > 1e-9 ? (meaning[i] - low) / spread : 1)).ToArray();
    }

    private static List<Candidate> Choose(List<Candidate> candidates, int budget)
    {
        var ranked = candidates
            .OrderByDescending(c => c.Score).ThenBy(c => c.Source).ThenBy(c => c.Position)
            .ToList();
        var best = ranked[0].Score;
        var bestByWords = Math.Max(candidates.Max(c => c.WordScore), 1e-9);
        var chosen = new List<Candidate>();
        foreach (var c in ranked)
        {
            if (chosen.Count == budget) break;
            // Meaning reorders and may add sentences; it never drops one that words alone would quote.
            if (chosen.Count > 0 && c.Score < best * 0.35 && c.WordScore < bestByWords * 0.35) continue;
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
