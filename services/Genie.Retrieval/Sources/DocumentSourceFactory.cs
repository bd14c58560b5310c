using Genie.Contracts.Retrieval.V1;
using Npgsql;

namespace Genie.Retrieval.Sources;

/// <summary>Opens the document source a source record describes, decrypting its secrets only here.</summary>
public sealed class DocumentSourceFactory(NpgsqlDataSource db, SourceSecrets secrets)
{
    public async Task<IDocumentSource> OpenAsync(SourceRecord source, CancellationToken ct) => source.Config.KindCase switch
    {
        SourceConfig.KindOneofCase.Upload => new UploadDocumentSource(db, source.Id),
        SourceConfig.KindOneofCase.Folder => new FolderDocumentSource(source.Config.Folder.Path, source.Config.Folder.Include, source.Config.Folder.Exclude),
        SourceConfig.KindOneofCase.Mcp => await McpDocumentSource.ConnectAsync(source.Config.Mcp, secrets.Open(source.Id, source.Secrets), ct),
        _ => throw new SourceUnavailableException($"source {source.Id} has no configuration"),
    };
}
