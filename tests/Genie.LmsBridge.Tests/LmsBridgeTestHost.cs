using Genie.Contracts.Lms.V1;
using Genie.LmsBridge;
using Genie.LmsBridge.Settings;
using Genie.LmsBridge.Sync;
using Genie.ServiceDefaults.Clients;
using Genie.ServiceDefaults.Database;
using Genie.ServiceDefaults.Grpc.Client;
using Genie.ServiceDefaults.Grpc.Server;
using Genie.Testing;
using Genie.Testing.FakeTalentLms;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Genie.LmsBridge.Tests;

/// <summary>
/// LmsBridge composed as in Program.cs (service defaults, its own database with migrations, real
/// gRPC on loopback) against a fresh PostgreSQL database and a fake TalentLMS portal.
/// </summary>
public sealed class LmsBridgeTestHost : IAsyncDisposable
{
    private readonly List<GrpcChannel> _channels = [];

    private LmsBridgeTestHost(ServiceTestHost host, FakeTalentLmsServer lms)
    {
        Host = host;
        Lms = lms;
    }

    public ServiceTestHost Host { get; }

    public FakeTalentLmsServer Lms { get; }

    public FakeTalentLmsData Portal => Lms.Data;

    public NpgsqlDataSource Db => Host.Services.GetRequiredService<NpgsqlDataSource>();

    public static async Task<LmsBridgeTestHost> StartAsync(bool configure = true, TimeProvider? clock = null)
    {
        var cluster = await PostgresCluster.GetSharedAsync();
        var connectionString = await cluster.CreateDatabaseAsync("lms");
        var lms = await FakeTalentLmsServer.StartAsync();
        var host = await ServiceTestHost.StartAsync("lmsbridge",
            builder =>
            {
                builder.AddGenieDatabase("lms", typeof(LmsHandler).Assembly);
                builder.AddLmsBridge(scheduledSync: false);
                if (clock is not null)
                    builder.Services.AddSingleton<TimeProvider>(clock);
                builder.Services.AddGrpcService<LmsHandler>(LmsReflection.Descriptor.Services[0]);
            },
            new Dictionary<string, string?>
            {
                ["ConnectionStrings:genie"] = connectionString,
                ["Genie:Lms:Client:BaseDelay"] = "00:00:00.010",
            });
        var test = new LmsBridgeTestHost(host, lms);
        if (configure)
        {
            await host.Services.GetRequiredService<LmsSettingsStore>()
                .SetAsync(new LmsSettingsChange(lms.Domain, lms.ApiKey, null, null, null), "test", default);
        }
        return test;
    }

    /// <summary>A typed client calling as a person with this role and e-mail.</summary>
    public LmsClient Client(string role, string email)
    {
        var token = Host.Tokens.Issue($"genie-{email}", email, email.Split('@')[0], role, TimeSpan.FromDays(400)); // outlives ManualClock jumps
        var channel = Host.CreateChannel(new GrpcChannelOptions { DefaultBearerToken = () => token });
        _channels.Add(channel);
        return new LmsClient(channel);
    }

    public LmsClient Admin() => Client("admin", "admin@example.com");

    /// <summary>Runs a sync in-process (what SyncNow and the scheduler do) and returns its run.</summary>
    public async Task<SyncRunRecord> SyncAsync() =>
        (await Host.Services.GetRequiredService<LmsSync>().RunAsync("manual", _ => ValueTask.CompletedTask, default)).Run;

    public T Service<T>() where T : notnull => Host.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
            channel.Dispose();
        await Host.DisposeAsync();
        await Lms.DisposeAsync();
    }
}
