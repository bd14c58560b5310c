using System.Text;
using Genie.Retrieval.Embeddings;

namespace Genie.Retrieval.Search;

/// <summary>
/// The snippet of a hit: up to two short passages of the chunk where most of the question's words
/// occur, the matched words wrapped in &lt;mark&gt;…&lt;/mark&gt;, passages joined by " … ". Built here from
/// the chunk text rather than with ts_headline, which re-parses every hit's text in the database.
/// A word matches when it shares its light stem with a question word, or starts with one of the
/// question's lexemes (PostgreSQL stems, e.g. "polici" for "policy") and is at most a suffix longer.
/// </summary>
public sealed class Snippets
{
    private const int FragmentWords = 20;
    private const int MaxFragments = 2;
    private const int LeadWords = 3;
    private const int PlainWords = 30;
    private const int MaxSuffix = 4;

    private readonly HashSet<string> _stems;
    private readonly List<string> _prefixes;

    public Snippets(string question, IEnumerable<string>? lexemes = null)
    {
        _stems = TextFeatures.Terms(question).ToHashSet(StringComparer.Ordinal);
        _prefixes = [];
        foreach (var lexeme in lexemes ?? [])
        {
            var word = new string(lexeme.Where(char.IsLetterOrDigit).ToArray());
            if (word.Length < 2)
                continue;
            _prefixes.Add(word);
            // Snowball turns a final y into i ("policy" → "polici").
            if (word.Length > 3 && word[^1] == 'i')
                _prefixes.Add(word[..^1] + "y");
        }
    }

    public string For(string text)
    {
        var words = new List<(Range Range, int Term)>();
        foreach (var range in new WordEnumerator(text))
            words.Add((range, Match(text.AsSpan(range))));
        if (words.Count == 0)
            return "";
        var matches = Enumerable.Range(0, words.Count).Where(i => words[i].Term >= 0).ToList();
        if (matches.Count == 0)
            return Render(text, words, 0, Math.Min(PlainWords, words.Count)) + (words.Count > PlainWords ? " …" : "");

        var fragments = new List<(int Start, int End)>();
        while (fragments.Count < MaxFragments)
        {
            var best = (Start: -1, End: -1, Score: 0.0);
            foreach (var m in matches)
            {
                var end = Math.Min(words.Count, Math.Max(0, m - LeadWords) + FragmentWords);
                var start = Math.Max(0, end - FragmentWords);
                if (fragments.Any(f => start < f.End && f.Start < end))
                    continue;
                var inWindow = words.Skip(start).Take(end - start).Where(w => w.Term >= 0).ToList();
                // Distinct question words count most; repeats of one word break ties.
                var score = inWindow.Select(w => w.Term).Distinct().Count() + 0.1 * inWindow.Count;
                if (score > best.Score)
                    best = (start, end, score);
            }
            if (best.Start < 0)
                break;
            fragments.Add((best.Start, best.End));
        }
        return string.Join(" … ", fragments.OrderBy(f => f.Start).Select(f => Render(text, words, f.Start, f.End)));
    }

    /// <summary>Which question word (an index) a word of the text matches, or -1.</summary>
    private int Match(ReadOnlySpan<char> word)
    {
        Span<char> lower = word.Length <= 128 ? stackalloc char[word.Length] : new char[word.Length];
        word.ToLowerInvariant(lower);
        Span<char> stem = lower.Length <= 127 ? stackalloc char[lower.Length + 1] : new char[lower.Length + 1];
        var stemmed = stem[..TextFeatures.StemInto(lower, stem)];
        var index = 0;
        foreach (var s in _stems)
        {
            if (stemmed.SequenceEqual(s))
                return index;
            index++;
        }
        foreach (var prefix in _prefixes)
        {
            if (lower.StartsWith(prefix) && lower.Length - prefix.Length <= MaxSuffix)
                return index;
            index++;
        }
        return -1;
    }

    private static string Render(string text, List<(Range Range, int Term)> words, int start, int end)
    {
        var builder = new StringBuilder();
        var position = words[start].Range.Start.Value;
        for (var i = start; i < end; i++)
        {
            var (range, term) = words[i];
            AppendCollapsed(builder, text.AsSpan(position, range.Start.Value - position));
            if (term >= 0)
                builder.Append("<mark>").Append(text.AsSpan(range)).Append("</mark>");
            else
                builder.Append(text.AsSpan(range));
            position = range.End.Value;
        }
        // Keep the punctuation that closes the last word ("office." or "(HSPD-12)").
        while (position < text.Length && !char.IsWhiteSpace(text[position]) && !char.IsLetterOrDigit(text[position]))
            builder.Append(text[position++]);
        return builder.ToString();
    }

    /// <summary>Text between words, with runs of whitespace (line breaks of lists and paragraphs) as one space.</summary>
    private static void AppendCollapsed(StringBuilder builder, ReadOnlySpan<char> between)
    {
        var space = false;
        foreach (var c in between)
        {
            if (char.IsWhiteSpace(c))
                space = true;
            else
            {
                if (space)
                    builder.Append(' ');
                space = false;
                builder.Append(c);
            }
        }
        if (space)
            builder.Append(' ');
    }
}
