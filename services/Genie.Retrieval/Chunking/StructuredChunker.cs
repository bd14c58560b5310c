using System.Text;
using Genie.Retrieval.Parsing;

namespace Genie.Retrieval.Chunking;

/// <summary>
/// Turns a parsed document into chunks that follow its structure: a heading always starts a new
/// chunk and every chunk carries the path of headings above it; paragraphs, lists, tables and code
/// are gathered up to a target size; prose continuing in the same section repeats a short overlap.
/// </summary>
public sealed class StructuredChunker(ChunkingOptions? options = null)
{
    private readonly ChunkingOptions _options = options ?? new ChunkingOptions();

    public IReadOnlyList<TextChunk> Chunk(ParsedDocument document)
    {
        var chunks = new List<TextChunk>();
        var headings = new List<(int Level, string Text)>();
        var current = new StringBuilder();
        var hasBody = false;
        string? overlapSeed = null;

        void Flush(bool continuing)
        {
            if (hasBody)
                chunks.Add(new TextChunk(chunks.Count, headings.Select(h => h.Text).ToList(), current.ToString().Trim()));
            current.Clear();
            hasBody = false;
            if (continuing && overlapSeed is { Length: > 0 })
                current.Append(overlapSeed).Append("\n\n");
            overlapSeed = null;
        }

        foreach (var block in document.Blocks)
        {
            if (block.Kind == BlockKind.Heading)
            {
                Flush(continuing: false);
                headings.RemoveAll(h => h.Level >= block.Level);
                headings.Add((block.Level, block.Text));
                continue;
            }
            foreach (var piece in BlockSplitter.Split(block, _options))
            {
                if (hasBody && current.Length + piece.Length + 2 > _options.TargetChars)
                    Flush(continuing: true);
                if (current.Length > 0)
                    current.Append("\n\n");
                current.Append(piece);
                hasBody = true;
                overlapSeed = block.Kind is BlockKind.Paragraph or BlockKind.List or BlockKind.Quote ? Tail(piece) : null;
            }
        }
        Flush(continuing: false);
        return chunks;
    }

    /// <summary>The last sentences of a piece, up to the overlap size; never a cut word.</summary>
    private string? Tail(string piece)
    {
        if (_options.OverlapChars <= 0)
            return null;
        var sentences = BlockSplitter.Sentences(piece).ToList();
        var tail = new List<string>();
        var length = 0;
        for (var i = sentences.Count - 1; i >= 0 && length + sentences[i].Length <= _options.OverlapChars; i--)
        {
            tail.Insert(0, sentences[i]);
            length += sentences[i].Length + 1;
        }
        // Nothing worth repeating when the whole piece would be copied.
        return tail.Count == 0 || tail.Count == sentences.Count ? null : string.Join(' ', tail);
    }
}
