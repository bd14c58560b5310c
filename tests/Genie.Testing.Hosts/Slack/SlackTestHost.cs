using Genie.ServiceDefaults.Database;
using Genie.ServiceDefaults.Rpc;
using Genie.Slack;
using Genie.Slack.Admin;
using Genie.Slack.Http;
using Genie.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Genie.Testing.Hosts;

/// <summary>Genie.Slack composed as its Program.cs does (adapter, SlackAdminService, /slack/*) over a fresh database.</summary>
public static class SlackTestHost
{
    /// <param name="settings">Its configuration: backends' addresses, the signing key, <c>Genie:Slack:*</c>.</param>
    /// <param name="logs">Receives every log line when given.</param>
    public static async Task<ServiceTestHost> StartAsync(IDictionary<string, string?> settings, ILoggerProvider? logs = null)
    {
        var cluster = await PostgresCluster.GetSharedAsync();
        var database = await cluster.CreateDatabaseAsync("slack");
        return await ServiceTestHost.StartAsync("slack", builder =>
        {
            if (logs is not null)
                builder.Logging.AddProvider(logs);
            builder.AddGenieDatabase("slack", typeof(SlackServices).Assembly);
            builder.AddSlack();
            builder.Services.AddGrpcService<SlackAdminHandler>();
        }, TestSettings.Merge(new Dictionary<string, string?> { ["ConnectionStrings:genie"] = database }, settings), map: app => app.MapSlackEndpoints());
    }
}
