using Genie.Contracts.Retrieval.V1;
using Genie.Testing;
using Genie.Testing.Hosts;

namespace Genie.Web.Tests.Infrastructure;

/// <summary>Retrieval, Agent and the portal wired together over loopback gRPC with one signing key, as the AppHost runs them.</summary>
public sealed class ChatSystem : IAsyncDisposable
{
    public const string BadgesMarkdown = SampleDocuments.BuildingBadges;

    private ChatSystem(RetrievalTestHost retrieval, AgentTestHost agent, PortalHost portal)
    {
        Retrieval = retrieval;
        Agent = agent;
        Portal = portal;
    }

    public RetrievalTestHost Retrieval { get; }

    public AgentTestHost Agent { get; }

    public PortalHost Portal { get; }

    /// <param name="agentSettings">Extra Agent configuration, e.g. a bot's model.</param>
    public static async Task<ChatSystem> StartAsync(IDictionary<string, string?>? agentSettings = null)
    {
        var retrieval = await RetrievalTestHost.StartAsync();
        var agent = await AgentTestHost.StartAsync(settings: TestSettings.Merge(retrieval.ClientSettings, agentSettings));
        var portal = await PortalHost.StartAsync(TestSettings.Merge(retrieval.ClientSettings, agent.ClientSettings));
        return new ChatSystem(retrieval, agent, portal);
    }

    /// <summary>A "Handbook" knowledge base holding the building-badge page, readable by <paramref name="readers"/>.</summary>
    public Task AddHandbookAsync(params TestUser[] readers) =>
        Retrieval.CreateKbWithDocumentsAsync("Handbook", new Grants { UserIds = { readers.Select(r => r.Id.ToString()) } }, [("badges.md", BadgesMarkdown)]);

    public async ValueTask DisposeAsync()
    {
        await Portal.DisposeAsync();
        await Agent.DisposeAsync();
        await Retrieval.DisposeAsync();
    }
}
