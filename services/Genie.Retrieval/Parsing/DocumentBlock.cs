namespace Genie.Retrieval.Parsing;

public enum BlockKind
{
    Heading,
    Paragraph,
    List,
    Table,
    Code,
    Quote,
}

/// <summary>One structural unit of a document. Text is Markdown (lists, tables and code keep their syntax).</summary>
public sealed record DocumentBlock(BlockKind Kind, string Text, int Level = 0);

/// <summary>A document reduced to a title and its blocks, whatever format it came in.</summary>
public sealed record ParsedDocument(string? Title, IReadOnlyList<DocumentBlock> Blocks);

/// <summary>A document could not be read (corrupt file, missing converter). Recorded per document; the sync goes on.</summary>
public sealed class DocumentParseException(string message, Exception? inner = null) : Exception(message, inner);
