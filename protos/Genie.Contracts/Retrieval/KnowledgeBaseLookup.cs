namespace Genie.Contracts.Retrieval.V1;

/// <summary>How people name a knowledge base in the CLI and the MCP tools: by its id, or by its name in any case.</summary>
public sealed partial class ListKnowledgeBasesResponse
{
    /// <summary>The listed knowledge base whose id is <paramref name="nameOrId"/>, else the one so named (case-insensitive), else null.</summary>
    public KnowledgeBase? Find(string nameOrId)
    {
        var wanted = nameOrId.Trim();
        return KnowledgeBases.FirstOrDefault(k => k.Id == wanted)
            ?? KnowledgeBases.FirstOrDefault(k => string.Equals(k.Name, wanted, StringComparison.OrdinalIgnoreCase));
    }
}
