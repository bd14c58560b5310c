using Genie.Contracts.Retrieval.V1;
using Genie.ServiceDefaults.Auth;
using Google.Protobuf;

namespace Genie.Web.Tests.Infrastructure;

/// <summary>Retrieval, Agent and the portal wired together over loopback gRPC with one signing key, as the AppHost runs them.</summary>
public sealed class ChatSystem : IAsyncDisposable
{
    public const string BadgesMarkdown = """
        # Building badges

        ## Getting your badge

        Your building badge is issued by the security desk within two business days of your start date.
        Bring a photo ID to the security desk on the ground floor to collect the badge.
        """;

    private ChatSystem(RetrievalHost retrieval, AgentHost agent, PortalHost portal)
    {
        Retrieval = retrieval;
        Agent = agent;
        Portal = portal;
    }

    public RetrievalHost Retrieval { get; }

    public AgentHost Agent { get; }

    public PortalHost Portal { get; }

    /// <param name="agentSettings">Extra Agent configuration, e.g. a bot's model.</param>
    public static async Task<ChatSystem> StartAsync(IDictionary<string, string?>? agentSettings = null)
    {
        var key = AuthOptions.GenerateKey();
        var retrieval = await RetrievalHost.StartAsync(key);
        var agent = await AgentHost.StartAsync(key, retrieval.Host.GrpcAddress, agentSettings);
        var portal = await PortalHost.StartAsync(new Dictionary<string, string?>
        {
            ["services:retrieval:grpc:0"] = retrieval.Host.GrpcAddress.ToString(),
            ["services:agent:grpc:0"] = agent.GrpcAddress.ToString(),
            [AuthOptions.SigningKeyKey] = key,
        });
        return new ChatSystem(retrieval, agent, portal);
    }

    /// <summary>A "Handbook" knowledge base holding the building-badge page, readable by <paramref name="readers"/>.</summary>
    public async Task AddHandbookAsync(params TestUser[] readers)
    {
        var kb = await Retrieval.Client.CreateKnowledgeBaseAsync(new CreateKnowledgeBaseRequest
        {
            Name = "Handbook",
            Grants = new Grants { UserIds = { readers.Select(r => r.Id.ToString()) } },
        }, Retrieval.Admin);
        var source = await Retrieval.Client.AddSourceAsync(new AddSourceRequest
        {
            KnowledgeBaseId = kb.Id,
            Name = "uploads",
            Config = new SourceConfig { Upload = new UploadSourceConfig() },
        }, Retrieval.Admin);
        await Retrieval.Client.UploadDocumentAsync(new UploadDocumentRequest
        {
            SourceId = source.Id,
            FileName = "badges.md",
            Content = ByteString.CopyFromUtf8(BadgesMarkdown),
        }, Retrieval.Admin);
    }

    public async ValueTask DisposeAsync()
    {
        await Portal.DisposeAsync();
        await Agent.DisposeAsync();
        await Retrieval.DisposeAsync();
    }
}
