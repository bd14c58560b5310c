namespace Genie.Retrieval.Embeddings;

/// <summary>Tokenising shared by the hashing embedder and the snippet/eval code: lower-case words, light stemming, stop words.</summary>
public static class TextFeatures
{
    private static readonly HashSet<string> StopWords =
    [
        "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could", "do", "does", "did", "for",
        "from", "had", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or",
        "our", "should", "so", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "to",
        "was", "we", "were", "what", "when", "where", "which", "who", "why", "will", "with", "would", "you", "your",
        "am", "any", "about", "after", "all", "also", "get", "s", "t", "up", "out", "not", "no", "just", "one",
    ];

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> StopWordSpans = StopWords.GetAlternateLookup<ReadOnlySpan<char>>();

    public static List<string> Words(string text)
    {
        var words = new List<string>();
        foreach (var range in new WordEnumerator(text))
            words.Add(text.AsSpan(range).ToString().ToLowerInvariant());
        return words;
    }

    public static bool IsStopWord(string word) => StopWords.Contains(word);

    /// <summary>Whether a lower-case word is a stop word.</summary>
    public static bool IsStopWord(ReadOnlySpan<char> word) => StopWordSpans.Contains(word);

    /// <summary>Content words, stemmed; all words when every one is a stop word.</summary>
    public static List<string> Terms(string text)
    {
        var words = Words(text);
        var terms = words.Where(w => !IsStopWord(w)).Select(Stem).ToList();
        return terms.Count > 0 ? terms : words.Select(Stem).ToList();
    }

    /// <summary>A light English suffix stripper: enough to meet "onboarding"/"onboard", "policies"/"policy".</summary>
    public static string Stem(string word)
    {
        Span<char> stem = word.Length < 256 ? stackalloc char[word.Length + 1] : new char[word.Length + 1];
        var length = StemInto(word, stem);
        return word.AsSpan().SequenceEqual(stem[..length]) ? word : stem[..length].ToString();
    }

    /// <summary><see cref="Stem"/> into <paramref name="destination"/> (at least one char longer than the word); returns the stem's length.</summary>
    public static int StemInto(ReadOnlySpan<char> word, Span<char> destination)
    {
        var keep = word.Length;
        var appendY = false;
        if (word.Length <= 3 || !char.IsLetter(word[^1]))
            keep = word.Length;
        else if (word.EndsWith("ies") && word.Length > 4)
            (keep, appendY) = (word.Length - 3, true);
        else if (word.EndsWith("sses"))
            keep = word.Length - 2;
        else if (word.EndsWith("ing") && word.Length > 5)
            keep = word.Length - 3;
        else if (word.EndsWith("ed") && word.Length > 4)
            keep = word.Length - 2;
        else if (word.EndsWith('s') && !word.EndsWith("ss") && !word.EndsWith("us") && !word.EndsWith("is"))
            keep = word.Length - 1;
        word[..keep].CopyTo(destination);
        if (!appendY)
            return keep;
        destination[keep] = 'y';
        return keep + 1;
    }
}

/// <summary>The ranges of the words (maximal runs of letters and digits) of a text, without allocating.</summary>
public ref struct WordEnumerator(ReadOnlySpan<char> text)
{
    private readonly ReadOnlySpan<char> _text = text;
    private int _position;

    public Range Current { get; private set; }

    public readonly WordEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        var i = _position;
        while (i < _text.Length && !char.IsLetterOrDigit(_text[i]))
            i++;
        if (i >= _text.Length)
            return false;
        var start = i;
        while (i < _text.Length && char.IsLetterOrDigit(_text[i]))
            i++;
        Current = start..i;
        _position = i;
        return true;
    }
}
