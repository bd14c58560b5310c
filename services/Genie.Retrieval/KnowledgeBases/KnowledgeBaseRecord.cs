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
    int ChunkCount);
