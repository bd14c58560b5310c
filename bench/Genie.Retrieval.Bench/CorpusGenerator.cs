using System.Text;

namespace Genie.Retrieval.Bench;

/// <summary>
/// Deterministic synthetic Markdown: documents of several sections, each a paragraph or a list, with
/// words drawn from a Zipf-like distribution over a generated vocabulary (so common and rare terms
/// behave like real text for full-text and hashing). Each document is about one of a few hundred
/// topics whose own words make up about a third of its text, as real documentation clusters by subject.
/// </summary>
public sealed class CorpusGenerator : ICorpus
{
    private const int Topics = 300;
    private const int WordsPerTopic = 60;
    private readonly Random _random;
    private readonly string[] _vocabulary;
    private readonly double[] _cumulative;
    private readonly string[][] _topicWords;
    private int _topic;

    public CorpusGenerator(int seed = 42, int vocabularySize = 20_000)
    {
        _random = new Random(seed);
        _vocabulary = BuildVocabulary(new Random(seed + 1), vocabularySize);
        _cumulative = BuildZipf(vocabularySize);
        var topicRandom = new Random(seed + 2);
        _topicWords = Enumerable.Range(0, Topics)
            .Select(_ => Enumerable.Range(0, WordsPerTopic).Select(_ => _vocabulary[topicRandom.Next(300, vocabularySize)]).ToArray())
            .ToArray();
    }

    private static string[] BuildVocabulary(Random random, int size)
    {
        const string consonants = "bcdfghklmnprstvz";
        const string vowels = "aeiou";
        var words = new HashSet<string>();
        while (words.Count < size)
        {
            var length = random.Next(2, 5);
            var word = new StringBuilder();
            for (var i = 0; i < length; i++)
                word.Append(consonants[random.Next(consonants.Length)]).Append(vowels[random.Next(vowels.Length)]);
            words.Add(word.ToString());
        }
        return words.ToArray();
    }

    private static double[] BuildZipf(int size)
    {
        var weights = Enumerable.Range(1, size).Select(rank => 1.0 / rank).ToArray();
        var total = weights.Sum();
        var cumulative = new double[size];
        var sum = 0.0;
        for (var i = 0; i < size; i++)
            cumulative[i] = sum += weights[i] / total;
        return cumulative;
    }

    public string Word()
    {
        if (_random.NextDouble() < 0.35)
            return _topicWords[_topic][_random.Next(WordsPerTopic)];
        var index = Array.BinarySearch(_cumulative, _random.NextDouble());
        return _vocabulary[Math.Min(index < 0 ? ~index : index, _vocabulary.Length - 1)];
    }

    public string Sentence(int words) =>
        string.Join(' ', Enumerable.Range(0, words).Select(_ => Word())) is var s ? char.ToUpperInvariant(s[0]) + s[1..] + "." : "";

    /// <summary>A document of <paramref name="sections"/> sections, each about one chunk long.</summary>
    public string Document(int index, int sections)
    {
        _topic = _random.Next(Topics);
        var markdown = new StringBuilder($"---\ntitle: Document {index} {Word()} {Word()}\n---\n\n# Document {index}\n\n");
        for (var s = 0; s < sections; s++)
        {
            markdown.Append($"## {Word()} {Word()} {Word()}\n\n");
            if (_random.Next(4) == 0)
            {
                for (var item = 0; item < 6; item++)
                    markdown.Append("- ").Append(Sentence(12)).Append('\n');
                markdown.Append('\n');
            }
            else
            {
                for (var p = 0; p < 2; p++)
                    markdown.Append(string.Join(' ', Enumerable.Range(0, 4).Select(_ => Sentence(_random.Next(8, 16))))).Append("\n\n");
            }
        }
        return markdown.ToString();
    }
}
