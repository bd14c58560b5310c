using System.Text;
using System.Text.RegularExpressions;

namespace Genie.Retrieval.Bench;

/// <summary>
/// Documents made of real English sentences: the sentences of a folder of Markdown pages (the shared
/// handbooks), recombined. Each document takes most of its sentences from one page, as real documentation
/// clusters by subject, and the rest from anywhere. A sentence model embeds these as it embeds real
/// pages (the generated words of <see cref="CorpusGenerator"/> are nonsense to it), so HNSW recall and
/// embedding cost are measured on vectors shaped like a real knowledge base's.
/// </summary>
public sealed partial class HandbookCorpus : ICorpus
{
    private readonly Random _random;
    private readonly string[][] _pages;
    private readonly string[] _all;

    public HandbookCorpus(string folder, int seed = 42)
    {
        _random = new Random(seed);
        _pages = Directory.EnumerateFiles(folder, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => Sentences(File.ReadAllText(f)).ToArray())
            .Where(s => s.Length >= 8)
            .ToArray();
        _all = _pages.SelectMany(p => p).ToArray();
        if (_pages.Length == 0)
            throw new ArgumentException($"No Markdown pages with sentences under {folder}.");
    }

    public int SentenceCount => _all.Length;

    private static IEnumerable<string> Sentences(string markdown)
    {
        var text = FrontMatter().Replace(markdown, "");
        text = Markup().Replace(Link().Replace(text, "$1"), " ");
        foreach (var sentence in SentenceEnd().Split(Whitespace().Replace(text, " ")))
        {
            var trimmed = sentence.Trim();
            var words = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            if (words is >= 6 and <= 40 && char.IsLetter(trimmed[0]))
                yield return trimmed;
        }
    }

    private string Sentence(string[] page) => _random.NextDouble() < 0.7 ? page[_random.Next(page.Length)] : _all[_random.Next(_all.Length)];

    public string Document(int index, int sections)
    {
        var page = _pages[_random.Next(_pages.Length)];
        string Heading() => string.Join(' ', Sentence(page).Split(' ').Take(4)).TrimEnd('.', ',', ':');
        var markdown = new StringBuilder($"---\ntitle: Document {index} {Heading()}\n---\n\n# Document {index}\n\n");
        for (var s = 0; s < sections; s++)
        {
            markdown.Append("## ").Append(Heading()).Append("\n\n");
            for (var p = 0; p < 2; p++)
                markdown.Append(string.Join(' ', Enumerable.Range(0, 4).Select(_ => Sentence(page)))).Append("\n\n");
        }
        return markdown.ToString();
    }

    [GeneratedRegex(@"\A---\n.*?\n---\n", RegexOptions.Singleline)]
    private static partial Regex FrontMatter();

    [GeneratedRegex(@"\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"[#*_`>|{}\[\]<]|\{%.*?%\}|^\s*[-+]\s", RegexOptions.Multiline)]
    private static partial Regex Markup();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[A-Z])")]
    private static partial Regex SentenceEnd();
}

/// <summary>A source of benchmark documents.</summary>
public interface ICorpus
{
    string Document(int index, int sections);
}
