using Genie.Agent.Knowledge;
using Genie.Agent.Prompting;

namespace Genie.Agent.Tests.Support;

/// <summary>The small handbook under Fixtures/handbook, as files and as passages split at "## " headings.</summary>
public static class HandbookFixture
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Fixtures", "handbook");

    public static IReadOnlyList<KnowledgeHit> Sections(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(Folder, file));
        var title = lines[0].TrimStart('#', ' ');
        var hits = new List<KnowledgeHit>();
        string? heading = null;
        var body = new List<string>();
        foreach (var line in lines.Skip(1).Append("## "))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                if (heading is not null)
                {
                    var text = string.Join('\n', body).Trim();
                    hits.Add(new KnowledgeHit($"{file}#{hits.Count}", "kb-1", text, text[..Math.Min(80, text.Length)], title,
                        $"handbook/{file}", $"{title} > {heading}", "upload", 0.5));
                }
                heading = line[3..].Trim();
                body.Clear();
                continue;
            }
            body.Add(line);
        }
        return hits;
    }

    public static KnowledgeHit Section(string file, string heading) =>
        Sections(file).Single(h => h.HeadingPath.EndsWith(heading, StringComparison.Ordinal));

    public static IReadOnlyList<SourceFence.FencedSource> Fenced(params KnowledgeHit[] hits) =>
        hits.Select((h, i) => new SourceFence.FencedSource(i + 1, h.DocumentTitle, h.Uri, h.HeadingPath, h.Text)).ToList();
}
