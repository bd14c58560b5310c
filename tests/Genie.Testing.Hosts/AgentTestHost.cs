using Genie.Agent;
using Genie.Agent.Knowledge;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Genie.ServiceDefaults.Database;
using Genie.Contracts.Agent.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Genie.Testing.Hosts;

/// <summary>
/// The Agent composed as its Program.cs does (service defaults, its own database with migrations, AddAgent) on
/// loopback over a fresh database; with no model configured it answers with the built-in extractive answerer.
/// It can be stopped and started again on the same address and database, as when the service goes down and comes back.
/// </summary>
public sealed class AgentTestHost : IAsyncDisposable
{
    private readonly IKnowledgeSearch? _search;
    private readonly Dictionary<string, string?> _settings;
    private readonly GrpcChannel _channel;
    private ServiceTestHost? _host;

    private AgentTestHost(ServiceTestHost host, IKnowledgeSearch? search, Dictionary<string, string?> settings)
    {
        _host = host;
        _search = search;
        _settings = settings;
        GrpcAddress = host.GrpcAddress;
        ConnectionString = settings["ConnectionStrings:genie"]!;
        Tokens = host.Tokens;
        _channel = GrpcChannel.ForAddress(GrpcAddress);
        Client = new AgentService.AgentServiceClient(_channel);
    }

    /// <summary>The running service; throws while it is stopped.</summary>
    public ServiceTestHost Host => _host ?? throw new InvalidOperationException("The Agent is stopped.");

    /// <summary>Where the Agent listens, across restarts.</summary>
    public Uri GrpcAddress { get; }

    public string ConnectionString { get; }

    public AgentService.AgentServiceClient Client { get; }

    public TokenService Tokens { get; }

    /// <summary>Settings for a host that calls this Agent: its address and the signing key of its tokens.</summary>
    public IDictionary<string, string?> ClientSettings => new Dictionary<string, string?>
    {
        ["services:agent:grpc:0"] = GrpcAddress.ToString(),
        [AuthOptions.SigningKeyKey] = _settings[AuthOptions.SigningKeyKey],
    };

    /// <param name="search">What the Agent searches instead of calling Retrieval; null: the real Retrieval named by services:retrieval:grpc:0.</param>
    /// <param name="settings">More configuration (e.g. a Retrieval's or LmsBridge's ClientSettings, a bot's model); a key here wins.</param>
    public static async Task<AgentTestHost> StartAsync(IKnowledgeSearch? search = null, IDictionary<string, string?>? settings = null)
    {
        var all = TestSettings.Merge(settings);
        if (!all.ContainsKey("ConnectionStrings:genie")) // settings may name the database, e.g. in a private cluster
            all["ConnectionStrings:genie"] = await (await PostgresCluster.GetSharedAsync()).CreateDatabaseAsync("agent");
        var host = await StartHostAsync(search, all);
        all[AuthOptions.SigningKeyKey] = host.SigningKey; // a restart must accept the tokens issued before it
        return new AgentTestHost(host, search, all);
    }

    /// <summary>Call options as this person (identity only from the signed token), with a 60 s deadline.</summary>
    /// <param name="email">Default: <c>{userId}@example.test</c>.</param>
    /// <param name="name">Default: the e-mail if given, else the user id.</param>
    public CallOptions As(string userId, string role = Roles.Learner, string? email = null, string? name = null) =>
        BearerToken.Options(Tokens.Issue(userId, email ?? $"{userId}@example.test", name ?? email ?? userId, role), TimeSpan.FromSeconds(60));

    /// <summary>The service goes down: calls to <see cref="GrpcAddress"/> are refused until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_host is null)
            return;
        await _host.DisposeAsync();
        _host = null;
    }

    /// <summary>The service comes back on the same address, over the same database.</summary>
    public async Task StartAgainAsync()
    {
        if (_host is not null)
            return;
        _host = await StartHostAsync(_search, TestSettings.Merge(_settings, new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:grpc:Url"] = GrpcAddress.GetLeftPart(UriPartial.Authority),
        }));
    }

    private static Task<ServiceTestHost> StartHostAsync(IKnowledgeSearch? search, IDictionary<string, string?> settings) =>
        ServiceTestHost.StartAsync("agent", builder =>
        {
            builder.AddGenieDatabase("agent", typeof(AgentHandler).Assembly);
            builder.AddAgent();
            if (search is not null)
                builder.Services.AddSingleton(search);
        }, settings);

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await StopAsync();
    }
}
