using Genie.Agent;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Genie.ServiceDefaults.Database;
using Genie.ServiceDefaults.Grpc.Client;
using Genie.Testing;

namespace Genie.Web.Tests.Infrastructure;

/// <summary>The real Agent service (no model configured: the built-in extractive answerer) over the real Retrieval.</summary>
public sealed class AgentHost : IAsyncDisposable
{
    private readonly GrpcChannel _channel;

    private AgentHost(ServiceTestHost host)
    {
        Host = host;
        _channel = host.CreateChannel();
        Client = new AgentClient(_channel);
    }

    public ServiceTestHost Host { get; }

    public AgentClient Client { get; }

    /// <summary>Calls as a portal user: the token subject is their portal id, as the portal issues it.</summary>
    public CallOptions As(TestUser user, string role = Roles.Learner) =>
        new() { BearerToken = Host.IssueToken(role, user.Id.ToString()), Deadline = DateTimeOffset.UtcNow.AddSeconds(60) };

    public static async Task<AgentHost> StartAsync(string signingKey, Uri retrieval)
    {
        var cluster = await PostgresCluster.GetSharedAsync();
        var host = await ServiceTestHost.StartAsync("agent", builder =>
        {
            builder.AddGenieDatabase("agent", typeof(AgentHandler).Assembly);
            builder.AddAgent();
        }, new Dictionary<string, string?>
        {
            ["ConnectionStrings:genie"] = await cluster.CreateDatabaseAsync("agent"),
            ["services:retrieval:grpc:0"] = retrieval.ToString(),
            [AuthOptions.SigningKeyKey] = signingKey,
        });
        return new AgentHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await Host.DisposeAsync();
    }
}
