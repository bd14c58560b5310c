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

    // Stop words looked up by span: a word is only turned into a string once it is known to be a content term.
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> StopWordSpans = StopWords.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Stemmed content terms in order of appearance, duplicates kept.</summary>
    public static List<string> Of(string text)
    {
        var terms = new List<string>();
        foreach (var match in WordPattern().EnumerateMatches(text))
        {
            if (TermOf(text.AsSpan(match.Index, match.Length)) is { } term) terms.Add(term);
        }
        return terms;
    }

    /// <summary>Distinct stemmed content terms.</summary>
    public static HashSet<string> SetOf(string text) => new(Of(text), StringComparer.Ordinal);

    public static bool IsStopWord(string word) => StopWords.Contains(word);

    /// <summary>The stemmed term of one word as <see cref="WordPattern"/> matched it: lower case, apostrophes dropped; null for a stop word.</summary>
    private static string? TermOf(ReadOnlySpan<char> match)
    {
        Span<char> word = match.Length <= 64 ? stackalloc char[match.Length] : new char[match.Length];
        match.ToLowerInvariant(word);
        var length = 0;
        for (var i = 0; i < word.Length; i++)
        {
            if (word[i] is not ('\'' or '’')) word[length++] = word[i];
        }
        word = word[..length];
        if (length == 0 || StopWordSpans.Contains(word)) return null;
        if (length == 1 && !char.IsDigit(word[0])) return null;
        return Stem(word);
    }

    /// <summary>A light suffix stripper (a small subset of Porter's step 1): enough to join plurals and -ing/-ed forms.</summary>
    public static string Stem(string word) => Stem(word.AsSpan());

    private static string Stem(ReadOnlySpan<char> word)
    {
        if (word.Length <= 3 || word.ContainsAnyExcept(Letters) && !AllLetters(word)) return new string(word);
        if (word.EndsWith("ies") && word.Length > 4) return string.Concat(word[..^3], "y");
        if (word.EndsWith("sses")) return new string(word[..^2]);
        if (word.EndsWith("ing") && word.Length > 5) return TrimDouble(word[..^3]);
        if (word.EndsWith("ed") && word.Length > 4) return TrimDouble(word[..^2]);
        if (word.EndsWith("es") && word.Length > 4 && (word.EndsWith("ches") || word.EndsWith("shes") || word.EndsWith("xes") || word.EndsWith("zes")))
            return new string(word[..^2]);
        if (word.EndsWith('s') && !word.EndsWith("ss") && !word.EndsWith("us") && !word.EndsWith("is"))
            return new string(word[..^1]);
        return new string(word);
    }

    // ASCII letters answer most words without a per-character Unicode check.
    private static readonly System.Buffers.SearchValues<char> Letters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");

    private static bool AllLetters(ReadOnlySpan<char> word)
    {
        foreach (var c in word)
        {
            if (!char.IsLetter(c)) return false;
        }
        return true;
    }

    private static string TrimDouble(ReadOnlySpan<char> stem) =>
        new(stem.Length > 3 && stem[^1] == stem[^2] && stem[^1] is not ('l' or 's' or 'z') ? stem[..^1] : stem);
}
