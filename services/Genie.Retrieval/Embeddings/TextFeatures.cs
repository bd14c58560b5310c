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

    public static List<string> Words(string text)
    {
        var words = new List<string>();
        var span = text.AsSpan();
        var start = -1;
        for (var i = 0; i <= span.Length; i++)
        {
            var isWordChar = i < span.Length && char.IsLetterOrDigit(span[i]);
            if (isWordChar && start < 0)
                start = i;
            else if (!isWordChar && start >= 0)
            {
                words.Add(span[start..i].ToString().ToLowerInvariant());
                start = -1;
            }
        }
        return words;
    }

    public static bool IsStopWord(string word) => StopWords.Contains(word);

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
        if (word.Length <= 3 || !char.IsLetter(word[^1]))
            return word;
        if (word.EndsWith("ies") && word.Length > 4)
            return word[..^3] + "y";
        if (word.EndsWith("sses"))
            return word[..^2];
        if (word.EndsWith("ing") && word.Length > 5)
            return word[..^3];
        if (word.EndsWith("ed") && word.Length > 4)
            return word[..^2];
        if (word.EndsWith('s') && !word.EndsWith("ss") && !word.EndsWith("us") && !word.EndsWith("is"))
            return word[..^1];
        return word;
    }
}
