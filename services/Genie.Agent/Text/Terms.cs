using System.Text.RegularExpressions;

namespace Genie.Agent.Text;

/// <summary>
/// Content terms of a text: lower-cased words without stop words, lightly stemmed so that
/// "cards", "card" and "carding" meet. Shared by the rewriter, the extractive answerer, the
/// relevance gate and gap grouping so they all agree on what a "term" is.
/// </summary>
public static partial class Terms
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at",
        "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could",
        "did", "do", "does", "doing", "done", "down", "during", "each", "either", "else", "etc", "ever", "every",
        "few", "for", "from", "further", "get", "gets", "getting", "got", "had", "has", "have", "having", "he",
        "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just",
        "let", "like", "may", "me", "might", "more", "most", "much", "must", "my", "myself", "need", "no", "nor",
        "not", "now", "of", "off", "on", "once", "one", "only", "or", "other", "our", "ours", "out", "over",
        "own", "please", "same", "shall", "she", "should", "so", "some", "such", "tell", "than", "that", "the",
        "their", "theirs", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too",
        "under", "until", "up", "upon", "us", "use", "very", "want", "was", "way", "we", "well", "were", "what",
        "when", "where", "which", "while", "who", "whom", "whose", "why", "will", "with", "would", "yes", "yet",
        "you", "your", "yours", "yourself", "im", "ive", "id", "dont", "doesnt", "cant", "wont", "isnt", "arent",
        "know", "thing", "things", "someone", "something", "anything", "okay", "ok", "hi", "hello", "thanks",
        "thank", "s", "t", "d", "ll", "re", "ve", "m",
    };

    /// <summary>Words of <paramref name="text"/> in order: lower case; inner '-', '.' and apostrophes and trailing '+'/'#' kept (c++, c#, node.js).</summary>
    public static List<string> Words(string text)
    {
        var words = new List<string>();
        foreach (var match in WordPattern().EnumerateMatches(text))
            words.Add(text.Substring(match.Index, match.Length).ToLowerInvariant());
        return words;
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’.\-][\p{L}\p{N}]+)*[+#]*")]
    private static partial Regex WordPattern();

    /// <summary>Stemmed content terms in order of appearance, duplicates kept.</summary>
    public static List<string> Of(string text)
    {
        var terms = new List<string>();
        foreach (var raw in Words(text))
        {
            var word = raw.Replace("'", "", StringComparison.Ordinal).Replace("’", "", StringComparison.Ordinal);
            if (word.Length == 0 || StopWords.Contains(word)) continue;
            if (word.Length == 1 && !char.IsDigit(word[0])) continue;
            terms.Add(Stem(word));
        }
        return terms;
    }

    /// <summary>Distinct stemmed content terms.</summary>
    public static HashSet<string> SetOf(string text) => new(Of(text), StringComparer.Ordinal);

    public static bool IsStopWord(string word) => StopWords.Contains(word);

    /// <summary>A light suffix stripper (a small subset of Porter's step 1): enough to join plurals and -ing/-ed forms.</summary>
    public static string Stem(string word)
    {
        if (word.Length <= 3 || !word.All(char.IsLetter)) return word;
        if (word.EndsWith("ies", StringComparison.Ordinal) && word.Length > 4) return word[..^3] + "y";
        if (word.EndsWith("sses", StringComparison.Ordinal)) return word[..^2];
        if (word.EndsWith("ing", StringComparison.Ordinal) && word.Length > 5) return TrimDouble(word[..^3]);
        if (word.EndsWith("ed", StringComparison.Ordinal) && word.Length > 4) return TrimDouble(word[..^2]);
        if (word.EndsWith("es", StringComparison.Ordinal) && word.Length > 4 &&
            (word.EndsWith("ches", StringComparison.Ordinal) || word.EndsWith("shes", StringComparison.Ordinal) ||
             word.EndsWith("xes", StringComparison.Ordinal) || word.EndsWith("zes", StringComparison.Ordinal)))
            return word[..^2];
        if (word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) &&
            !word.EndsWith("us", StringComparison.Ordinal) && !word.EndsWith("is", StringComparison.Ordinal))
            return word[..^1];
        return word;
    }

    private static string TrimDouble(string stem) =>
        stem.Length > 3 && stem[^1] == stem[^2] && stem[^1] is not ('l' or 's' or 'z') ? stem[..^1] : stem;
}
