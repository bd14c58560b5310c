using Genie.Contracts.Retrieval.V1;
using Genie.Retrieval.Embeddings;
using Genie.Retrieval.KnowledgeBases;
using Genie.Retrieval.Sources;
using Google.Protobuf.WellKnownTypes;

namespace Genie.Retrieval.Api;

internal static class Mapping
{
    public static KnowledgeBase ToProto(KnowledgeBaseRecord kb, bool canManage) => new()
    {
        Id = kb.Id.ToString(),
        Name = kb.Name,
        Description = kb.Description,
        Embedder = ToProto(kb.Embedder),
        Grants = new Grants { UserIds = { kb.GrantedUsers }, Roles = { kb.GrantedRoles } },
        CreatedBy = kb.CreatedBy,
        CreatedAt = Timestamp.FromDateTimeOffset(kb.CreatedAt),
        UpdatedAt = Timestamp.FromDateTimeOffset(kb.UpdatedAt),
        SourceCount = kb.SourceCount,
        DocumentCount = kb.DocumentCount,
        ChunkCount = kb.ChunkCount,
        CanManage = canManage,
        EmbedderSwitch = kb.Switch is { } pending ? new EmbedderSwitch
        {
            Embedder = ToProto(pending.Target),
            State = pending.State,
            Error = pending.Error,
            ChunksDone = pending.ChunksDone,
            ChunksTotal = pending.ChunksTotal,
            StartedAt = Timestamp.FromDateTimeOffset(pending.StartedAt),
        } : null,
    };

    public static EmbedderSpec ToProto(EmbedderChoice embedder) => new() { Provider = embedder.Provider, Model = embedder.Model, Dimension = embedder.Dimension };

    /// <summary>Secrets never leave the service: only their names are returned.</summary>
    public static Source ToProto(SourceRecord source) => new()
    {
        Id = source.Id.ToString(),
        KnowledgeBaseId = source.KnowledgeBaseId.ToString(),
        Name = source.Name,
        Kind = source.Kind,
        Config = SourceStore.WithoutSecrets(source.Config),
        SecretNames = { source.SecretNames },
        SyncIntervalMinutes = source.SyncIntervalMinutes,
        Status = source.Status,
        LastSyncedAt = source.LastSyncedAt is { } synced ? Timestamp.FromDateTimeOffset(synced) : null,
        NextSyncAt = source.NextSyncAt is { } next ? Timestamp.FromDateTimeOffset(next) : null,
        LastError = source.LastError,
        DocumentCount = source.DocumentCount,
    };
}
