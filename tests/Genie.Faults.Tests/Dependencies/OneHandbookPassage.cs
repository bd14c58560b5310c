using Genie.Agent.Knowledge;

namespace Genie.Faults.Tests.Dependencies;

/// <summary>A search that always finds the handbook's PIV card passage: the Agent's model path runs on every question.</summary>
internal sealed class OneHandbookPassage : IKnowledgeSearch
{
    public const string Question = "How long does it take to get a PIV card?";

    private static readonly KnowledgeHit Passage = new(
        "chunk-piv-1", "kb-handbook",
        "Getting a PIV card takes two to three weeks. It takes that long because the background check is slowest.",
        "Getting a PIV card takes two to three weeks.",
        "Getting your PIV card", "handbook/piv-card.md", "Getting your PIV card > How long it takes", "handbook", 0.9);

    public Task<IReadOnlyList<KnowledgeHit>> SearchAsync(KnowledgeQuery query, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<KnowledgeHit>>([Passage]);
}
