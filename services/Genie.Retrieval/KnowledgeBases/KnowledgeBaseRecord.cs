using Genie.Retrieval.Embeddings;

namespace Genie.Retrieval.KnowledgeBases;

public sealed record KnowledgeBaseRecord(
    Guid Id,
    string Name,
    string Description,
    EmbedderChoice Embedder,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<string> GrantedUsers,
    IReadOnlyList<string> GrantedRoles,
    int SourceCount,
    int DocumentCount,
    int ChunkCount,
    EmbedderSwitchRecord? Switch = null);

/// <summary>A running or failed re-embedding with <paramref name="Target"/> (see <c>Reembedding/</c>).</summary>
public sealed record EmbedderSwitchRecord(EmbedderChoice Target, string State, string Error, int ChunksDone, int ChunksTotal, DateTimeOffset StartedAt)
{
    public const string Running = "running";
    public const string Failed = "failed";
}
