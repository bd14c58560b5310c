using Genie.Agent;
using Genie.Contracts.Agent.V1;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Genie.ServiceDefaults.Database;
using Genie.ServiceDefaults.Grpc.Client;
using Genie.Testing;

namespace Genie.Web.Tests.Infrastructure;

/// <summary>
/// The real Agent service over the real Retrieval (no model configured: the built-in extractive answerer,
/// unless settings name one). It can be stopped and started again on the same address and database,
/// as when the service goes down and comes back.
/// </summary>
public sealed class AgentHost : IAsyncDisposable
{
    private readonly GrpcChannel _channel;
    private readonly Dictionary<string, string?> _settings;
    private readonly TokenService _tokens;

    private AgentHost(ServiceTestHost host, Dictionary<string, string?> settings)
    {
        Host = host;
        _settings = settings;
        _tokens = host.Tokens;
        GrpcAddress = host.GrpcAddress;
        ConnectionString = settings["ConnectionStrings:genie"]!;
        _channel = new GrpcChannel([GrpcAddress]);
        Client = new AgentClient(_channel);
    }

    /// <summary>The running service; null while stopped.</summary>
    public ServiceTestHost? Host { get; private set; }

    /// <summary>Where the Agent listens, across restarts.</summary>
    public Uri GrpcAddress { get; }

    public string ConnectionString { get; }

    public AgentClient Client { get; }

    /// <summary>Calls as a portal user: the token subject is their portal id, as the portal issues it.</summary>
    public CallOptions As(TestUser user, string role = Roles.Learner) =>
        new() { BearerToken = _tokens.Issue(user.Id.ToString(), user.Email, user.Email, role), Deadline = DateTimeOffset.UtcNow.AddSeconds(60) };

    /// <summary>Asks the Onboarding Bot as <paramref name="user"/> (a new conversation) and waits for the whole answer.</summary>
    public async Task<ChatCompleted> AskAsync(TestUser user, string question)
    {
        await foreach (var e in Client.Chat(new ChatRequest { Bot = "onboarding", Message = question }, As(user)))
        {
            if (e.Completed is { } completed)
                return completed;
        }
        throw new InvalidOperationException($"The chat about '{question}' ended without a completed event.");
    }

    public static async Task<AgentHost> StartAsync(string signingKey, Uri retrieval, IDictionary<string, string?>? settings = null)
    {
        var cluster = await PostgresCluster.GetSharedAsync();
        var all = new Dictionary<string, string?>
        {
            ["ConnectionStrings:genie"] = await cluster.CreateDatabaseAsync("agent"),
            ["services:retrieval:grpc:0"] = retrieval.ToString(),
            [AuthOptions.SigningKeyKey] = signingKey,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            all[key] = value;
        return new AgentHost(await StartHostAsync(all), all);
    }

    /// <summary>The service goes down: calls to <see cref="GrpcAddress"/> are refused until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (Host is null)
            return;
        await Host.DisposeAsync();
        Host = null;
    }

    /// <summary>The service comes back on the same address, over the same database.</summary>
    public async Task StartAgainAsync()
    {
        if (Host is not null)
            return;
        Host = await StartHostAsync(new Dictionary<string, string?>(_settings)
        {
            ["Kestrel:Endpoints:grpc:Url"] = GrpcAddress.GetLeftPart(UriPartial.Authority),
        });
    }

    private static Task<ServiceTestHost> StartHostAsync(IDictionary<string, string?> settings) =>
        ServiceTestHost.StartAsync("agent", builder =>
        {
            builder.AddGenieDatabase("agent", typeof(AgentHandler).Assembly);
            builder.AddAgent();
        }, settings);

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await StopAsync();
    }
}
