using Genie.Agent.Tests.Support;
using Genie.Contracts.Retrieval.V1;
using Genie.Retrieval;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Genie.ServiceDefaults.Database;
using Genie.ServiceDefaults.Grpc.Client;
using Genie.Testing;
using Google.Protobuf;

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

    private GrpcChannel _retrievalChannel = null!;

    public ServiceTestHost Retrieval { get; private set; } = null!;

    public AgentHost Agent { get; private set; } = null!;

    public RetrievalClient RetrievalClient { get; private set; } = null!;

    public KnowledgeBase Handbook { get; private set; } = null!;

    public KnowledgeBase Restricted { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var cluster = await PostgresCluster.GetSharedAsync();
        var signingKey = AuthOptions.GenerateKey();
        Retrieval = await ServiceTestHost.StartAsync("retrieval", b => b.AddRetrieval(scheduler: false), new Dictionary<string, string?>
        {
            ["ConnectionStrings:genie"] = await cluster.CreateDatabaseAsync("retrieval"),
            ["Genie:Retrieval:Embedder:Provider"] = "builtin",
            [AuthOptions.SigningKeyKey] = signingKey,
        });
        _retrievalChannel = Retrieval.CreateChannel();
        RetrievalClient = new RetrievalClient(_retrievalChannel);
        Agent = await AgentHost.StartAsync(null, new Dictionary<string, string?>
        {
            ["services:retrieval:grpc:0"] = Retrieval.GrpcAddress.ToString(),
        }, signingKey);

        var admin = new CallOptions { BearerToken = Retrieval.IssueToken(Roles.Admin, "kb-admin") };
        Handbook = await CreateAsync("Handbook", new Grants { Roles = { Roles.Learner, Roles.Instructor } }, admin,
            Directory.GetFiles(HandbookFixture.Folder, "*.md").Select(f => (Path.GetFileName(f), File.ReadAllText(f))));
        Restricted = await CreateAsync("Leadership", new Grants(), admin, [("compensation.md", RestrictedDocument)]);
    }

    private async Task<KnowledgeBase> CreateAsync(string name, Grants grants, CallOptions admin, IEnumerable<(string Name, string Text)> files)
    {
        var kb = await RetrievalClient.CreateKnowledgeBaseAsync(new CreateKnowledgeBaseRequest { Name = name, Grants = grants }, admin);
        var source = await RetrievalClient.AddSourceAsync(new AddSourceRequest
        {
            KnowledgeBaseId = kb.Id,
            Name = "uploads",
            Config = new SourceConfig { Upload = new UploadSourceConfig() },
        }, admin);
        foreach (var (fileName, text) in files)
        {
            await RetrievalClient.UploadDocumentAsync(new UploadDocumentRequest
            {
                SourceId = source.Id,
                FileName = fileName,
                Content = ByteString.CopyFromUtf8(text),
            }, admin);
        }
        return kb;
    }

    public async Task DisposeAsync()
    {
        await Agent.DisposeAsync();
        _retrievalChannel.Dispose();
        await Retrieval.DisposeAsync();
    }
}
