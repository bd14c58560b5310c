using Genie.Contracts.Retrieval.V1;
using Genie.ServiceDefaults.Clients;
using Genie.ServiceDefaults.Grpc.Client;
using Genie.Testing;
using Google.Protobuf;

namespace Genie.Retrieval.Tests.Service;

/// <summary>The retrieval service hosted in-process on loopback, over a fresh database of the shared test cluster.</summary>
public class RetrievalServiceFixture : IAsyncLifetime
{
    public const int MaxUploadBytes = 1024 * 1024;

    public ServiceTestHost Host { get; private set; } = null!;

    public RetrievalClient Client { get; private set; } = null!;

    public string ConnectionString { get; private set; } = null!;

    protected virtual IDictionary<string, string?> ExtraSettings() => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        var cluster = await PostgresCluster.GetSharedAsync();
        ConnectionString = await cluster.CreateDatabaseAsync("retrieval");
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:genie"] = ConnectionString,
            ["Genie:Retrieval:Embedder:Provider"] = "builtin",
            ["Genie:Retrieval:MaxUploadBytes"] = MaxUploadBytes.ToString(),
        };
        foreach (var (key, value) in ExtraSettings())
            settings[key] = value;
        Host = await ServiceTestHost.StartAsync("retrieval", b => b.AddRetrieval(scheduler: false), settings);
        Client = new RetrievalClient(Host.CreateChannel());
    }

    public CallOptions As(string role, string userId = "user-1") => new() { BearerToken = Host.IssueToken(role, userId) };

    public CallOptions Admin => As("admin", "admin-1");

    public async Task<KnowledgeBase> CreateKbAsync(string name, Grants? grants = null, CallOptions? options = null) =>
        await Client.CreateKnowledgeBaseAsync(new CreateKnowledgeBaseRequest { Name = name, Grants = grants ?? new Grants() }, options ?? Admin);

    public async Task<Source> AddUploadSourceAsync(KnowledgeBase kb, CallOptions? options = null) =>
        await Client.AddSourceAsync(new AddSourceRequest
        {
            KnowledgeBaseId = kb.Id,
            Name = "uploads",
            Config = new SourceConfig { Upload = new UploadSourceConfig() },
        }, options ?? Admin);

    public async Task<UploadDocumentResponse> UploadAsync(Source source, string fileName, string content, CallOptions? options = null) =>
        await Client.UploadDocumentAsync(new UploadDocumentRequest
        {
            SourceId = source.Id,
            FileName = fileName,
            Content = ByteString.CopyFromUtf8(content),
        }, options ?? Admin);

    public async Task<List<SyncProgress>> SyncAsync(Source source, CallOptions? options = null)
    {
        var progress = new List<SyncProgress>();
        await foreach (var message in Client.SyncSource(new SyncSourceRequest { SourceId = source.Id }, options ?? Admin))
            progress.Add(message);
        return progress;
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
