using System.Text.RegularExpressions;
using Genie.Agent.Knowledge;

namespace Genie.Agent.Bench;

/// <summary>
/// Chunks of the shared 18F corpora (../shared/data), split at headings and then at paragraphs
/// (~900 characters), repeated with a copy number until exactly <c>count</c> chunks exist.
/// </summary>
public static partial class HandbookCorpus
{
    private const int TargetChunkChars = 900;

    public static IReadOnlyList<KnowledgeHit> Load(string dataFolder, int count)
    {
        var original = new List<KnowledgeHit>();
        foreach (var file in Directory.EnumerateFiles(dataFolder, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file);
            var title = Path.GetFileNameWithoutExtension(file).Replace('-', ' ');
            var front = FrontMatter().Match(text);
            if (front.Success)
            {
                if (TitleLine().Match(front.Value) is { Success: true } t) title = t.Groups[1].Value.Trim().Trim('"');
                text = text[front.Length..];
            }
            var uri = Path.GetRelativePath(dataFolder, file);
            var heading = title;
            var buffer = new List<string>();
            foreach (var paragraph in text.ReplaceLineEndings("\n").Split("\n\n"))
            {
                var p = paragraph.Trim();
                if (p.Length == 0) continue;
                if (p.StartsWith('#'))
                {
                    Flush();
                    heading = $"{title} > {p.TrimStart('#', ' ').Split('\n')[0]}";
                    var rest = p.Contains('\n') ? p[(p.IndexOf('\n') + 1)..] : "";
                    if (rest.Length > 0) buffer.Add(rest);
                    continue;
                }
                buffer.Add(p);
                if (buffer.Sum(b => b.Length) >= TargetChunkChars) Flush();
            }
            Flush();

            void Flush()
            {
                if (buffer.Count == 0) return;
                var chunk = string.Join("\n\n", buffer);
                buffer.Clear();
                if (chunk.Length < 40) return;
                original.Add(new KnowledgeHit($"c{original.Count}", "kb-18f", chunk, chunk[..Math.Min(160, chunk.Length)], title, uri, heading, "18f", 0));
            }
        }
        var chunks = new List<KnowledgeHit>(count);
        for (var copy = 0; chunks.Count < count; copy++)
        {
            foreach (var c in original)
            {
                if (chunks.Count == count) break;
                chunks.Add(copy == 0 ? c : c with { ChunkId = $"{c.ChunkId}-{copy}", Uri = $"{c.Uri}?copy={copy}" });
            }
        }
        return chunks;
    }

    [GeneratedRegex(@"^---\n.*?\n---\n", RegexOptions.Singleline)]
    private static partial Regex FrontMatter();

    [GeneratedRegex(@"^title:\s*(.+)$", RegexOptions.Multiline)]
    private static partial Regex TitleLine();
}
