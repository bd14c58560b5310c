using Genie.Agent.Tests.Support;
using Genie.Contracts.Retrieval.V1;
using Genie.ServiceDefaults.Auth;
using Genie.Testing.Hosts;

namespace Genie.Agent.Tests.EndToEnd;

/// <summary>
/// The real Retrieval service and the Agent, each on its own loopback gRPC endpoint with its own database,
/// sharing a signing key; the Agent reaches Retrieval through services:retrieval:grpc:0. Holds two knowledge
/// bases: the fixture handbook (granted to learners) and a restricted one (granted to nobody but admins).
/// </summary>
public sealed class RetrievalAndAgent : IAsyncLifetime
{
    public const string RestrictedDocument = """
        # Compensation bands

        ## Salary bands for engineers

        The salary band for a senior engineer is level E5, between 150,000 and 190,000 dollars. Salary bands are reviewed every January.
        """;

    public RetrievalTestHost Retrieval { get; private set; } = null!;

    public AgentTestHost Agent { get; private set; } = null!;

    public KnowledgeBase Handbook { get; private set; } = null!;

    public KnowledgeBase Restricted { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Retrieval = await RetrievalTestHost.StartAsync();
        Agent = await AgentTestHost.StartAsync(null, Retrieval.ClientSettings);
        Handbook = await Retrieval.CreateKbWithDocumentsAsync("Handbook", new Grants { Roles = { Roles.Learner, Roles.Instructor } },
            Directory.GetFiles(HandbookFixture.Folder, "*.md").Select(f => (Path.GetFileName(f), File.ReadAllText(f))));
        Restricted = await Retrieval.CreateKbWithDocumentsAsync("Leadership", new Grants(), [("compensation.md", RestrictedDocument)]);
    }

    public async Task DisposeAsync()
    {
        await Agent.DisposeAsync();
        await Retrieval.DisposeAsync();
    }
}
