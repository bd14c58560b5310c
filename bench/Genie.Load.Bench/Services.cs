using Genie.Contracts.Retrieval.V1;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Genie.Testing;
using Genie.Testing.Hosts;
using Google.Protobuf;
using Grpc.Net.Client;

namespace Genie.Load.Bench;

/// <summary>The services under load: Retrieval with the handbook, Agent, and (for the portal path) Web; where they run.</summary>
public interface IBenchServices : IAsyncDisposable
{
    Uri AgentGrpcAddress { get; }

    /// <summary>Issues tokens the Agent accepts.</summary>
    TokenService Tokens { get; }

    /// <summary>The portal's learners; null without --sse.</summary>
    PortalLearners? Portal { get; }

    /// <summary>The OS processes the services (and the bench's client) run in, by what runs there.</summary>
    IReadOnlyList<(string Name, int ProcessId)> Processes { get; }

    /// <summary>The question every learner asks about: one small knowledge base that learners may search.</summary>
    static readonly (string FileName, string Text)[] Handbook = [("badges.md", SampleDocuments.BuildingBadges)];

    static readonly Grants LearnersMaySearch = new() { Roles = { "learner" } };
}

/// <summary>Retrieval, Agent and Web hosted in the bench's own process (the test hosts), the client there too.</summary>
public sealed class InProcessServices : IBenchServices
{
    private RetrievalTestHost _retrieval = null!;
    private AgentTestHost _agent = null!;
    private WebTestHost? _web;

    public Uri AgentGrpcAddress => _agent.GrpcAddress;

    public TokenService Tokens => _agent.Tokens;

    public PortalLearners? Portal { get; private set; }

    public IReadOnlyList<(string Name, int ProcessId)> Processes => [("bench (services + client)", Environment.ProcessId)];

    public static async Task<InProcessServices> StartAsync(bool portal)
    {
        var services = new InProcessServices { _retrieval = await RetrievalTestHost.StartAsync() };
        await services._retrieval.CreateKbWithDocumentsAsync("Handbook", IBenchServices.LearnersMaySearch, IBenchServices.Handbook);
        services._agent = await AgentTestHost.StartAsync(settings: services._retrieval.ClientSettings);
        if (portal)
        {
            services._web = await WebTestHost.StartAsync(TestSettings.Merge(services._retrieval.ClientSettings, services._agent.ClientSettings));
            services.Portal = await PortalLearners.OpenAsync(services._web.HttpAddress, services._web.ConnectionString);
        }
        return services;
    }

    public async ValueTask DisposeAsync()
    {
        Portal?.Dispose();
        if (_web is not null) await _web.DisposeAsync();
        await _agent.DisposeAsync();
        await _retrieval.DisposeAsync();
    }
}

/// <summary>
/// Retrieval, Agent and Web each in its own OS process, started from their build output
/// (<c>dotnet services/X/bin/Release/net10.0/X.dll</c>) with configuration through environment variables, as a
/// deployment runs them; each waited for on /health and killed at the end.
/// </summary>
public sealed class ProcessServices : IBenchServices
{
    private static readonly TimeSpan HealthyWithin = TimeSpan.FromMinutes(4);

    /// <summary>As deploy/kubernetes gives each service process, so that the pools together fit PostgreSQL's max_connections.</summary>
    private const string PoolAsDeployed = ";Maximum Pool Size=15";
    private readonly List<ServiceProcess> _started = [];
    private readonly string _signingKey = AuthOptions.GenerateKey();

    private ProcessServices() => Tokens = new TokenService(new AuthOptions { SigningKey = AuthOptions.DecodeKey(_signingKey) });

    public Uri AgentGrpcAddress { get; private set; } = null!;

    public TokenService Tokens { get; }

    public PortalLearners? Portal { get; private set; }

    public IReadOnlyList<(string Name, int ProcessId)> Processes =>
        [.. _started.Select(s => (s.Name, s.Id)), ("bench client", Environment.ProcessId)];

    public static async Task<ProcessServices> StartAsync(bool portal)
    {
        var services = new ProcessServices();
        try
        {
            await services.StartAllAsync(portal);
            return services;
        }
        catch
        {
            await services.DisposeAsync();
            throw;
        }
    }

    private async Task StartAllAsync(bool portal)
    {
        var cluster = await PostgresCluster.GetSharedAsync();
        var (retrieval, _) = await StartAsync("Retrieval", new()
        {
            ["ConnectionStrings__genie"] = await cluster.CreateDatabaseAsync("retrieval") + PoolAsDeployed,
            ["Genie__Retrieval__Embedder__Provider"] = "builtin",
        });
        await CreateHandbookAsync(retrieval);

        (AgentGrpcAddress, _) = await StartAsync("Agent", new()
        {
            ["ConnectionStrings__genie"] = await cluster.CreateDatabaseAsync("agent") + PoolAsDeployed,
            ["services__retrieval__grpc__0"] = retrieval.ToString(),
        });
        if (!portal)
            return;

        var webDatabase = await cluster.CreateDatabaseAsync("web");
        var (_, portalAddress) = await StartAsync("Web", new()
        {
            ["ConnectionStrings__genie"] = webDatabase + PoolAsDeployed,
            ["services__retrieval__grpc__0"] = retrieval.ToString(),
            ["services__agent__grpc__0"] = AgentGrpcAddress.ToString(),
        });
        Portal = await PortalLearners.OpenAsync(portalAddress, webDatabase);
    }

    /// <summary>Starts services/Genie.{name} on new loopback ports; returns its gRPC and HTTP addresses once /health answers.</summary>
    private Task<(Uri Grpc, Uri Http)> StartAsync(string name, Dictionary<string, string> settings) =>
        FreePort.BindAsync(async () =>
        {
            var grpc = new Uri($"http://127.0.0.1:{FreePort.Next()}");
            var http = new Uri($"http://127.0.0.1:{FreePort.Next()}");
            var environment = new Dictionary<string, string>(settings)
            {
                ["Kestrel__Endpoints__grpc__Url"] = grpc.ToString().TrimEnd('/'),
                ["Kestrel__Endpoints__grpc__Protocols"] = "Http2",
                ["Kestrel__Endpoints__http__Url"] = http.ToString().TrimEnd('/'),
                ["Kestrel__Endpoints__http__Protocols"] = "Http1",
                ["Genie__Auth__SigningKey"] = _signingKey,
                ["Logging__LogLevel__Default"] = "Warning",
            };
            var process = ServiceProcess.StartProject(name, environment, new Uri(http, "/health"));
            try
            {
                await process.WaitHealthyAsync(HealthyWithin);
            }
            catch
            {
                await process.DisposeAsync();
                throw;
            }
            _started.Add(process);
            return (grpc, http);
        });

    private async Task CreateHandbookAsync(Uri retrieval)
    {
        using var channel = GrpcChannel.ForAddress(retrieval);
        var client = new RetrievalService.RetrievalServiceClient(channel);
        var admin = BearerToken.Options(Tokens.Issue("bench-admin", "admin@bench.test", "Bench admin", Roles.Admin));
        var kb = await client.CreateKnowledgeBaseAsync(new CreateKnowledgeBaseRequest { Name = "Handbook", Grants = IBenchServices.LearnersMaySearch }, admin);
        var source = await client.AddSourceAsync(new AddSourceRequest { KnowledgeBaseId = kb.Id, Name = "uploads", Config = new SourceConfig { Upload = new UploadSourceConfig() } }, admin);
        foreach (var (fileName, text) in IBenchServices.Handbook)
            await client.UploadDocumentAsync(new UploadDocumentRequest { SourceId = source.Id, FileName = fileName, Content = ByteString.CopyFromUtf8(text) }, admin);
    }

    public async ValueTask DisposeAsync()
    {
        Portal?.Dispose();
        foreach (var process in Enumerable.Reverse(_started))
            await process.DisposeAsync();
    }
}
