using Genie.Contracts.Retrieval.V1;

namespace Genie.Retrieval.Sources;

public sealed record SourceRecord(
    Guid Id,
    Guid KnowledgeBaseId,
    string Name,
    string Kind,
    SourceConfig Config,
    byte[]? Secrets,
    IReadOnlyList<string> SecretNames,
    int SyncIntervalMinutes,
    DateTimeOffset? NextSyncAt,
    string Status,
    DateTimeOffset? LastSyncedAt,
    string LastError,
    int DocumentCount);

public static class SourceKinds
{
    public const string Upload = "upload";
    public const string Folder = "folder";
    public const string Mcp = "mcp";

    public static string Of(SourceConfig config) => config.KindCase switch
    {
        SourceConfig.KindOneofCase.Upload => Upload,
        SourceConfig.KindOneofCase.Folder => Folder,
        SourceConfig.KindOneofCase.Mcp => Mcp,
        _ => "",
    };
}
