using Genie.Contracts.Retrieval.V1;

namespace Genie.Cli.Commands;

/// <summary>Finds a readable knowledge base by name (case-insensitive) or id.</summary>
public static class KnowledgeBaseLookup
{
    public static async Task<KnowledgeBase> FindAsync(GenieSession session, string nameOrId, CancellationToken ct)
    {
        var wanted = nameOrId.Trim();
        var all = await session.UnaryAsync(o => session.Retrieval.ListKnowledgeBasesAsync(new ListKnowledgeBasesRequest(), o), ct);
        return all.Find(wanted) ?? throw new CliException($"no knowledge base named '{wanted}' that you may read (see 'genie kb list')");
    }
}
