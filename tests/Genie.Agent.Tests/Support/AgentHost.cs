using Genie.Agent.Knowledge;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Genie.ServiceDefaults.Database;
using Genie.ServiceDefaults.Grpc.Client;
using Genie.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Genie.Agent.Tests.Support;

/// <summary>The Agent service on real loopback gRPC with a fresh PostgreSQL database.</summary>
public sealed class AgentHost : IAsyncDisposable
{
    private readonly GrpcChannel _channel;

    private AgentHost(ServiceTestHost host, string connectionString)
    {
        Host = host;
        ConnectionString = connectionString;
        _channel = host.CreateChannel();
        Client = new AgentClient(_channel);
    }

    public ServiceTestHost Host { get; }

    public string ConnectionString { get; }

    public AgentClient Client { get; }

    /// <param name="search">Null: the real Retrieval service named by services:retrieval:grpc:0.</param>
    public static async Task<AgentHost> StartAsync(IKnowledgeSearch? search, IDictionary<string, string?>? settings = null, string? signingKey = null)
    {
        var cluster = await PostgresCluster.GetSharedAsync();
        var connectionString = await cluster.CreateDatabaseAsync("agent");
        var all = new Dictionary<string, string?> { ["ConnectionStrings:genie"] = connectionString };
        if (signingKey is not null) all[AuthOptions.SigningKeyKey] = signingKey;
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            all[key] = value;
        var host = await ServiceTestHost.StartAsync("agent", builder =>
        {
            builder.AddGenieDatabase("agent", typeof(AgentHandler).Assembly);
            builder.AddAgent();
            if (search is not null) builder.Services.AddSingleton(search);
        }, all);
        return new AgentHost(host, connectionString);
    }

    public CallOptions As(string userId, string role = Roles.Learner) =>
        new() { BearerToken = Host.IssueToken(role, userId), Deadline = DateTimeOffset.UtcNow.AddSeconds(60) };

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await Host.DisposeAsync();
    }
}
