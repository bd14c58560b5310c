using System.Text;
using System.Text.RegularExpressions;
using Genie.Retrieval.Parsing;

namespace Genie.Retrieval.Chunking;

/// <summary>Cuts one oversized block along its own structure: sentences, list items, table rows, code lines.</summary>
internal static partial class BlockSplitter
{
    private const int MinPieceChars = 200;

    public static IEnumerable<string> Split(DocumentBlock block, ChunkingOptions options) => block.Kind switch
    {
        BlockKind.Code when block.Text.Length <= options.MaxCodeChars => [block.Text],
        BlockKind.Code => SplitCode(block.Text, options.MaxCodeChars),
        _ when block.Text.Length <= options.MaxChars => [block.Text],
        BlockKind.List => Pack(ListItems(block.Text), options.TargetChars, options.MaxChars, "\n"),
        BlockKind.Table => SplitTable(block.Text, options),
        _ => Pack(Sentences(block.Text), options.TargetChars, options.MaxChars, " "),
    };

    /// <summary>Groups parts into pieces of about <paramref name="target"/>; a part longer than max is cut at words.</summary>
    private static IEnumerable<string> Pack(IEnumerable<string> parts, int target, int max, string separator)
    {
        // Headers and fences are subtracted from the budget; never let a huge header leave none.
        target = Math.Max(target, MinPieceChars);
        max = Math.Max(max, target);
        var current = new StringBuilder();
        foreach (var part in parts.SelectMany(p => p.Length > max ? HardSplit(p, target) : [p]))
        {
            if (current.Length > 0 && current.Length + separator.Length + part.Length > target)
            {
                yield return current.ToString();
                current.Clear();
            }
            if (current.Length > 0)
                current.Append(separator);
            current.Append(part);
        }
        if (current.Length > 0)
            yield return current.ToString();
    }

    internal static IEnumerable<string> HardSplit(string text, int size)
    {
        size = Math.Max(size, MinPieceChars);
        var start = 0;
        while (start < text.Length)
        {
            var end = Math.Min(start + size, text.Length);
            if (end < text.Length)
            {
                var space = text.LastIndexOf(' ', end - 1, end - start);
                if (space > start + size / 2)
                    end = space;
            }
            yield return text[start..end].Trim();
            start = end;
        }
    }

    internal static IEnumerable<string> Sentences(string text) =>
        SentenceEnd().Split(text).Select(s => s.Trim()).Where(s => s.Length > 0);

    private static IEnumerable<string> ListItems(string text)
    {
        var lines = text.Split('\n');
        var indent = lines.Where(l => ListMarker().IsMatch(l)).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        var item = new StringBuilder();
        foreach (var line in lines)
        {
            var isTopItem = ListMarker().IsMatch(line) && line.Length - line.TrimStart().Length == indent;
            if (isTopItem && item.Length > 0)
            {
                yield return item.ToString();
                item.Clear();
            }
            if (item.Length > 0)
                item.Append('\n');
            item.Append(line);
        }
        if (item.Length > 0)
            yield return item.ToString();
    }

    private static IEnumerable<string> SplitTable(string text, ChunkingOptions options)
    {
        var lines = text.Split('\n');
        if (lines.Length < 3)
            return HardSplit(text, options.TargetChars);
        var header = lines[0] + "\n" + lines[1];
        // A row is the unit of a table: rows are grouped, never cut.
        return Pack(lines.Skip(2), options.TargetChars - header.Length, int.MaxValue, "\n")
            .Select(rows => header + "\n" + rows);
    }

    private static IEnumerable<string> SplitCode(string text, int maxChars)
    {
        var lines = text.Split('\n').ToList();
        var fenced = lines.Count >= 2 && FenceLine().IsMatch(lines[0]);
        var open = fenced ? lines[0] : "```";
        var close = fenced ? FenceLine().Match(lines[0]).Groups["fence"].Value : "```";
        var body = fenced ? lines.Skip(1).Take(lines.Count - (FenceLine().IsMatch(lines[^1]) ? 2 : 1)) : lines;
        return Pack(body, maxChars - open.Length - close.Length - 2, maxChars - open.Length - close.Length - 2, "\n")
            .Select(piece => $"{open}\n{piece}\n{close}");
    }

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[A-Z0-9""'(\[])")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"^\s*([-*+]|\d+[.)])\s")]
    private static partial Regex ListMarker();

    [GeneratedRegex(@"^\s*(?<fence>`{3,}|~{3,})")]
    private static partial Regex FenceLine();
}
