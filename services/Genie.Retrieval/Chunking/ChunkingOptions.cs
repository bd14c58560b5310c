namespace Genie.Retrieval.Chunking;

/// <summary>Sizes in characters (about four per token for English).</summary>
public sealed record ChunkingOptions
{
    /// <summary>Blocks are gathered into a chunk until adding the next one would pass this size.</summary>
    public int TargetChars { get; set; } = 1000;

    /// <summary>A single paragraph, list or table longer than this is split.</summary>
    public int MaxChars { get; set; } = 1600;

    /// <summary>How much of the previous chunk's prose starts the next chunk of the same section.</summary>
    public int OverlapChars { get; set; } = 150;

    /// <summary>Fenced code up to this size stays whole, even past <see cref="MaxChars"/>.</summary>
    public int MaxCodeChars { get; set; } = 4000;
}

/// <summary>A piece of a document ready to embed and index.</summary>
public sealed record TextChunk(int Ordinal, IReadOnlyList<string> HeadingPath, string Text);
