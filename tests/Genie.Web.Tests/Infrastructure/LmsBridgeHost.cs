using Genie.Contracts.Lms.V1;
using Genie.LmsBridge;
using Genie.ServiceDefaults.Clients;
using Genie.ServiceDefaults.Database;
using Genie.ServiceDefaults.Grpc.Client;
using Genie.ServiceDefaults.Grpc.Server;
using Genie.Testing;
using Genie.Testing.FakeTalentLms;

namespace Genie.Web.Tests.Infrastructure;

/// <summary>
/// The real LmsBridge (composed as its Program.cs does, scheduler off) on loopback over its own fresh
/// database, talking to a fake TalentLMS portal; the portal is pointed at it with the same signing key.
/// </summary>
public sealed class LmsBridgeHost : IAsyncDisposable
{
    private readonly List<GrpcChannel> _channels = [];

    private LmsBridgeHost(ServiceTestHost host, FakeTalentLmsServer talentLms)
    {
        Host = host;
        TalentLms = talentLms;
    }

    public ServiceTestHost Host { get; }

    public FakeTalentLmsServer TalentLms { get; }

    /// <summary>Settings for <see cref="PortalHost.StartAsync"/> so the portal calls this LmsBridge.</summary>
    public IDictionary<string, string?> PortalSettings => new Dictionary<string, string?>
    {
        ["services:lmsbridge:grpc:0"] = Host.GrpcAddress.ToString(),
        ["Genie:Auth:SigningKey"] = Host.SigningKey,
    };

    public static async Task<LmsBridgeHost> StartAsync()
    {
        var cluster = await PostgresCluster.GetSharedAsync();
        var connectionString = await cluster.CreateDatabaseAsync("lms");
        var talentLms = await FakeTalentLmsServer.StartAsync();
        var host = await ServiceTestHost.StartAsync("lmsbridge",
            builder =>
            {
                builder.AddGenieDatabase("lms", typeof(LmsHandler).Assembly);
                builder.AddLmsBridge(scheduledSync: false);
                builder.Services.AddGrpcService<LmsHandler>(LmsReflection.Descriptor.Services[0]);
            },
            new Dictionary<string, string?>
            {
                ["ConnectionStrings:genie"] = connectionString,
                ["Genie:Lms:Client:BaseDelay"] = "00:00:00.010",
            });
        return new LmsBridgeHost(host, talentLms);
    }

    /// <summary>LmsBridge's own answer for a person, to compare the pages against.</summary>
    public LmsClient ClientAs(string role, string email)
    {
        var token = Host.Tokens.Issue($"test-{email}", email, email, role, TimeSpan.FromMinutes(30));
        var channel = Host.CreateChannel(new GrpcChannelOptions { DefaultBearerToken = () => token });
        _channels.Add(channel);
        return new LmsClient(channel);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
            channel.Dispose();
        await Host.DisposeAsync();
        await TalentLms.DisposeAsync();
    }
}
