using Genie.Contracts.Lms.V1;
using Genie.LmsBridge;
using Genie.LmsBridge.Settings;
using Genie.LmsBridge.Sync;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Genie.ServiceDefaults.Database;
using Genie.ServiceDefaults.Rpc;
using Genie.Testing.FakeTalentLms;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Genie.Testing.Hosts;

/// <summary>
/// LmsBridge composed as its Program.cs does (service defaults, its own database with migrations, the Lms
/// gRPC service; the scheduled sync off) on loopback over a fresh database, talking to its own fake TalentLMS.
/// </summary>
public sealed class LmsBridgeTestHost : IAsyncDisposable
{
    private readonly List<GrpcChannel> _channels = [];

    private LmsBridgeTestHost(ServiceTestHost host, FakeTalentLmsServer talentLms, string connectionString)
    {
        Host = host;
        TalentLms = talentLms;
        ConnectionString = connectionString;
    }

    public ServiceTestHost Host { get; }

    public FakeTalentLmsServer TalentLms { get; }

    public string ConnectionString { get; }

    public NpgsqlDataSource Db => Service<NpgsqlDataSource>();

    /// <summary>Settings for a host that calls this LmsBridge: its address and the signing key of its tokens.</summary>
    public IDictionary<string, string?> ClientSettings => new Dictionary<string, string?>
    {
        ["services:lmsbridge:grpc:0"] = Host.GrpcAddress.ToString(),
        [AuthOptions.SigningKeyKey] = Host.SigningKey,
    };

    /// <param name="connectTalentLms">Store the fake's domain and API key as the LMS settings; false starts LmsBridge unconfigured.</param>
    /// <param name="clock">The service's TimeProvider (reminder rules, quiet hours, schedules).</param>
    /// <param name="settings">More configuration; a key here wins.</param>
    public static async Task<LmsBridgeTestHost> StartAsync(bool connectTalentLms = true, TimeProvider? clock = null, IDictionary<string, string?>? settings = null)
    {
        var cluster = await PostgresCluster.GetSharedAsync();
        var connectionString = await cluster.CreateDatabaseAsync("lms");
        var talentLms = await FakeTalentLmsServer.StartAsync();
        var host = await ServiceTestHost.StartAsync("lmsbridge",
            builder =>
            {
                builder.AddGenieDatabase("lms", typeof(LmsHandler).Assembly);
                builder.AddLmsBridge(scheduledSync: false);
                if (clock is not null)
                    builder.Services.AddSingleton<TimeProvider>(clock);
                builder.Services.AddGrpcService<LmsHandler>();
            },
            TestSettings.Merge(new Dictionary<string, string?>
            {
                ["ConnectionStrings:genie"] = connectionString,
                ["Genie:Lms:Client:BaseDelay"] = "00:00:00.010",
            }, settings));
        if (connectTalentLms)
        {
            await host.Services.GetRequiredService<LmsSettingsStore>()
                .SetAsync(new LmsSettingsChange(talentLms.Domain, talentLms.ApiKey, null, null, null), "test", default);
        }
        return new LmsBridgeTestHost(host, talentLms, connectionString);
    }

    /// <summary>
    /// A typed client calling as a person with this role and e-mail (<paramref name="name"/>: the e-mail's local part
    /// unless given). The token lasts 400 days, to outlive a test clock's jumps.
    /// </summary>
    public LmsService.LmsServiceClient Client(string role, string email, string? name = null)
    {
        var token = Host.Tokens.Issue($"genie-{email}", email, name ?? email.Split('@')[0], role, TimeSpan.FromDays(400));
        var channel = Host.CreateChannel();
        lock (_channels)
            _channels.Add(channel);
        return new LmsService.LmsServiceClient(channel.Intercept(headers =>
        {
            headers.Add(BearerToken.Header, "Bearer " + token);
            return headers;
        }));
    }

    public LmsService.LmsServiceClient Admin() => Client(Roles.Admin, "admin@example.com");

    /// <summary>Runs a sync in-process (what SyncNow and the scheduler do) and returns its run.</summary>
    public async Task<SyncRunRecord> SyncAsync() =>
        (await Service<LmsSync>().RunAsync("manual", _ => ValueTask.CompletedTask, default)).Run;

    public T Service<T>() where T : notnull => Host.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
            channel.Dispose();
        await Host.DisposeAsync();
        await TalentLms.DisposeAsync();
    }
}
