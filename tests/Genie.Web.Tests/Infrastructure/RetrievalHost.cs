using Genie.Retrieval;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Genie.ServiceDefaults.Grpc.Client;
using Genie.Testing;

namespace Genie.Web.Tests.Infrastructure;

/// <summary>The real Retrieval service (builtin embedder, scheduler off) on loopback over its own fresh database.</summary>
public sealed class RetrievalHost : IAsyncDisposable
{
    private readonly GrpcChannel _channel;

    private RetrievalHost(ServiceTestHost host)
    {
        Host = host;
        _channel = host.CreateChannel();
        Client = new RetrievalClient(_channel);
    }

    public ServiceTestHost Host { get; }

    public RetrievalClient Client { get; }

    public CallOptions Admin => new() { BearerToken = Host.IssueToken(Roles.Admin, "test-admin") };

    public static async Task<RetrievalHost> StartAsync(string signingKey, int maxUploadBytes = 1024 * 1024)
    {
        var cluster = await PostgresCluster.GetSharedAsync();
        var host = await ServiceTestHost.StartAsync("retrieval", b => b.AddRetrieval(scheduler: false), new Dictionary<string, string?>
        {
            ["ConnectionStrings:genie"] = await cluster.CreateDatabaseAsync("retrieval"),
            ["Genie:Retrieval:Embedder:Provider"] = "builtin",
            ["Genie:Retrieval:MaxUploadBytes"] = maxUploadBytes.ToString(),
            [AuthOptions.SigningKeyKey] = signingKey,
        });
        return new RetrievalHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await Host.DisposeAsync();
    }
}
