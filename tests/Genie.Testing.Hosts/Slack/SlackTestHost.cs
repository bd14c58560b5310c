using Genie.ServiceDefaults.Database;
using Genie.Slack;
using Genie.Slack.Http;
using Microsoft.Extensions.Logging;

namespace Genie.Testing.Hosts;

/// <summary>The Slack adapter as Program.cs composes it, on loopback over a fresh database of the shared test cluster.</summary>
public sealed class SlackTestHost : IAsyncDisposable
{
    private SlackTestHost(ServiceTestHost host, string connectionString)
    {
        Host = host;
        ConnectionString = connectionString;
    }

    public ServiceTestHost Host { get; }

    public string ConnectionString { get; }

    public Uri GrpcAddress => Host.GrpcAddress;

    public IServiceProvider Services => Host.Services;

    /// <summary>Without <c>Genie:Slack:BotToken</c> in <paramref name="settings"/> the adapter starts idle, as unconfigured.</summary>
    public static async Task<SlackTestHost> StartAsync(IDictionary<string, string?>? settings = null, ILoggerProvider? logs = null)
    {
        var cluster = await PostgresCluster.GetSharedAsync();
        var connectionString = await cluster.CreateDatabaseAsync("slack");
        var host = await ServiceTestHost.StartAsync("slack", builder =>
        {
            if (logs is not null)
                builder.Logging.AddProvider(logs);
            builder.AddGenieDatabase("slack", typeof(SlackServices).Assembly);
            builder.AddSlack();
        }, TestSettings.Merge(new Dictionary<string, string?> { ["ConnectionStrings:genie"] = connectionString }, settings),
            map: app => app.MapSlackEndpoints());
        return new SlackTestHost(host, connectionString);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
