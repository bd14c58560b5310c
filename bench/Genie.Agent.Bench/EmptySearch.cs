using Genie.Agent.Knowledge;

namespace Genie.Agent.Bench;

/// <summary>A knowledge base with nothing in it: every chat takes the "not covered" path, which needs no passage work.</summary>
public sealed class EmptySearch : IKnowledgeSearch
{
    public Task<IReadOnlyList<KnowledgeHit>> SearchAsync(KnowledgeQuery query, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<KnowledgeHit>>([]);
}
