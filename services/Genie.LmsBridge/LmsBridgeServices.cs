using Genie.LmsBridge.Assignments;
using Genie.LmsBridge.Progress;
using Genie.LmsBridge.Reminders;
using Genie.LmsBridge.Settings;
using Genie.LmsBridge.Sync;
using Genie.LmsBridge.TalentLms;

namespace Genie.LmsBridge;

public static class LmsBridgeServices
{
    /// <summary>Everything LmsBridge needs besides the service defaults and the database.</summary>
    public static IHostApplicationBuilder AddLmsBridge(this IHostApplicationBuilder builder, bool scheduledSync = true)
    {
        var services = builder.Services;
        services.AddSingleton(SecretProtector.FromConfiguration(builder.Configuration));
        var clientOptions = new TalentLmsClientOptions();
        builder.Configuration.GetSection("Genie:Lms:Client").Bind(clientOptions);
        services.AddSingleton(clientOptions);
        // Each attempt has its own Polly timeout; the HttpClient's own is only a backstop.
        services.AddSingleton(sp => new TalentLmsClientFactory(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan },
            clientOptions, TimeProvider.System, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<LmsSettingsStore>();
        services.AddSingleton<ProgressReader>();
        services.AddSingleton<LmsAccess>();
        services.AddSingleton<ReminderStore>();
        services.AddSingleton<ReminderEngine>();
        services.AddSingleton<SyncWriter>();
        services.AddSingleton<SyncRunLog>();
        services.AddSingleton<LmsSync>();
        services.AddSingleton<CourseAssignment>();
        if (scheduledSync && builder.Configuration.GetValue("Genie:Lms:ScheduledSync", true))
            services.AddHostedService<ScheduledSync>();
        return builder;
    }
}
