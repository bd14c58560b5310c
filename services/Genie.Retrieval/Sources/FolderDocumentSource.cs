using Genie.Retrieval.Parsing;

namespace Genie.Retrieval.Sources;

/// <summary>Every supported file under a directory, filtered by include/exclude globs; URIs are paths relative to it.</summary>
public sealed class FolderDocumentSource(string root, IReadOnlyList<string> include, IReadOnlyList<string> exclude) : IDocumentSource
{
    private readonly List<Glob> _include = include.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => new Glob(p)).ToList();
    private readonly List<Glob> _exclude = exclude.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => new Glob(p)).ToList();

    public Task<IReadOnlyList<SourceItem>> DiscoverAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(root))
            throw new SourceUnavailableException($"folder '{root}' does not exist or is not readable");
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System };
        var items = Directory.EnumerateFiles(root, "*", options)
            .Select(path => Path.GetRelativePath(root, path).Replace('\\', '/'))
            .Where(relative => DocumentFormats.FromFileName(relative) is not null)
            .Where(relative => _include.Count == 0 || _include.Any(g => g.IsMatch(relative)))
            .Where(relative => !_exclude.Any(g => g.IsMatch(relative)))
            .Order(StringComparer.Ordinal)
            .Select(relative => new SourceItem(relative, Path.GetFileName(relative), DocumentFormats.FromFileName(relative)))
            .ToList();
        return Task.FromResult<IReadOnlyList<SourceItem>>(items);
    }

    public async Task<SourceContent> ReadAsync(SourceItem item, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(Path.Combine(root, item.Uri));
        if (!full.StartsWith(Path.GetFullPath(root), StringComparison.Ordinal))
            throw new SourceUnavailableException($"'{item.Uri}' is outside the folder");
        return new SourceContent(await File.ReadAllBytesAsync(full, cancellationToken), item.ContentType);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
