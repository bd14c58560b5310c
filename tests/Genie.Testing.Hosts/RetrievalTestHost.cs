using Genie.Contracts.Retrieval.V1;
using Genie.Retrieval;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Genie.Testing.Hosts;

/// <summary>
/// Retrieval composed as its Program.cs does (service defaults + AddRetrieval; here the sync scheduler off and the
/// built-in embedder) on loopback over a fresh database (or the one a ConnectionStrings:genie setting names, to restart on it). Start one with <see cref="StartAsync"/>, or use the class as
/// an xunit class fixture (default settings).
/// </summary>
public sealed class RetrievalTestHost : IAsyncLifetime, IAsyncDisposable
{
    public const int MaxUploadBytes = 1024 * 1024;

    private readonly IDictionary<string, string?>? _settings;
    private readonly ILoggerProvider? _logs;
    private GrpcChannel? _channel;

    /// <summary>For xunit: a host with the default settings, started by <see cref="InitializeAsync"/>.</summary>
    public RetrievalTestHost()
    {
    }

    private RetrievalTestHost(IDictionary<string, string?>? settings, ILoggerProvider? logs)
    {
        _settings = settings;
        _logs = logs;
    }

    public ServiceTestHost Host { get; private set; } = null!;

    public RetrievalService.RetrievalServiceClient Client { get; private set; } = null!;

    public string ConnectionString { get; private set; } = null!;

    /// <summary>Settings for a host that calls this Retrieval: its address and the signing key of its tokens.</summary>
    public IDictionary<string, string?> ClientSettings => new Dictionary<string, string?>
    {
        ["services:retrieval:grpc:0"] = Host.GrpcAddress.ToString(),
        [AuthOptions.SigningKeyKey] = Host.SigningKey,
    };

    public CallOptions Admin => As(Roles.Admin, "admin-1");

    /// <param name="settings">More configuration (e.g. Genie:Retrieval:MaxUploadBytes, the embedder); a key here wins.</param>
    /// <param name="logs">Also receives the service's log lines (e.g. <see cref="CapturedLogs"/>).</param>
    public static async Task<RetrievalTestHost> StartAsync(IDictionary<string, string?>? settings = null, ILoggerProvider? logs = null)
    {
        var host = new RetrievalTestHost(settings, logs);
        await host.InitializeAsync();
        return host;
    }

    public async Task InitializeAsync()
    {
        // A connection string in the settings reuses that database (a restarted service, a private cluster); else a fresh one.
        ConnectionString = _settings?.TryGetValue("ConnectionStrings:genie", out var given) == true && given is not null
            ? given
            : await (await PostgresCluster.GetSharedAsync()).CreateDatabaseAsync("retrieval");
        Host = await ServiceTestHost.StartAsync("retrieval", builder =>
        {
            builder.AddRetrieval(scheduler: false);
            if (_logs is not null)
                builder.Logging.AddProvider(_logs);
        }, TestSettings.Merge(new Dictionary<string, string?>
        {
            ["ConnectionStrings:genie"] = ConnectionString,
            ["Genie:Retrieval:Embedder:Provider"] = "builtin",
            ["Genie:Retrieval:MaxUploadBytes"] = MaxUploadBytes.ToString(),
        }, _settings));
        _channel = Host.CreateChannel();
        Client = new RetrievalService.RetrievalServiceClient(_channel);
    }

    public CallOptions As(string role, string userId = "user-1") => BearerToken.Options(Host.IssueToken(role, userId));

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

    /// <summary>A knowledge base (created as the admin) with an upload source holding <paramref name="documents"/>.</summary>
    public async Task<KnowledgeBase> CreateKbWithDocumentsAsync(string name, Grants grants, IEnumerable<(string FileName, string Text)> documents)
    {
        var kb = await CreateKbAsync(name, grants);
        var source = await AddUploadSourceAsync(kb);
        foreach (var (fileName, text) in documents)
            await UploadAsync(source, fileName, text);
        return kb;
    }

    public async Task<List<SyncProgress>> SyncAsync(Source source, CallOptions? options = null)
    {
        var progress = new List<SyncProgress>();
        using var call = Client.SyncSource(new SyncSourceRequest { SourceId = source.Id }, options ?? Admin);
        await foreach (var message in call.ResponseStream.ReadAllAsync())
            progress.Add(message);
        return progress;
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        if (Host is not null)
            await Host.DisposeAsync();
    }
}
