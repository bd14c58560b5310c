namespace Genie.Retrieval.Sources;

/// <summary>A document a source offers: a stable URI (the document's identity within the source) and a display name.</summary>
public sealed record SourceItem(string Uri, string Name, string? ContentType = null);

/// <summary>The raw content of a source item.</summary>
public sealed record SourceContent(byte[] Bytes, string? ContentType);

/// <summary>Where a sync finds documents: a folder, an upload store, or an MCP server.</summary>
public interface IDocumentSource : IAsyncDisposable
{
    Task<IReadOnlyList<SourceItem>> DiscoverAsync(CancellationToken cancellationToken);

    Task<SourceContent> ReadAsync(SourceItem item, CancellationToken cancellationToken);
}

/// <summary>The source as a whole cannot be reached or is misconfigured: the sync run fails with this message.</summary>
public sealed class SourceUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
