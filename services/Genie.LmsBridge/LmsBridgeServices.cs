using Genie.ServiceDefaults.Database;
using Genie.LmsBridge.Assignments;
using Genie.LmsBridge.Progress;
using Genie.LmsBridge.Reminders;
using Genie.LmsBridge.Settings;
using Genie.LmsBridge.Sync;
using Genie.LmsBridge.TalentLms;
using Genie.ServiceDefaults.Secrets;

namespace Genie.LmsBridge;

public static class LmsBridgeServices
{
    /// <summary>Everything LmsBridge needs besides the service defaults and the database.</summary>
    public static IHostApplicationBuilder AddLmsBridge(this IHostApplicationBuilder builder, bool scheduledSync = true)
    {
        var services = builder.Services;
        services.AddSingleton(SecretProtector.FromConfiguration(builder.Configuration, "lms", "the TalentLMS API key"));
        var clientOptions = new TalentLmsClientOptions();
        builder.Configuration.GetSection("Genie:Lms:Client").Bind(clientOptions);
        services.AddSingleton(clientOptions);
        services.AddTalentLmsHttpClient(clientOptions);
        // Rate-limit waits run on the real clock, whatever clock the reminder rules are given.
        services.AddSingleton(sp => new TalentLmsClientFactory(
            sp.GetRequiredService<IHttpClientFactory>(), clientOptions, TimeProvider.System, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<LmsSettingsStore>();
        services.AddSingleton<ProgressReader>();
        services.AddSingleton<LmsAccess>();
        services.AddSingleton<ReminderStore>();
        services.AddSingleton<ReminderEngine>();
        services.AddSingleton<SyncWriter>();
        services.AddSingleton<SyncRunLog>();
        services.AddSingleton<LmsSync>();
        services.AddSingleton<CourseAssignment>();
        services.AddStartupRepair<LmsSync>("interrupted TalentLMS sync runs", (sync, ct) => sync.FailInterruptedRunsAsync(ct));
        if (scheduledSync && builder.Configuration.GetValue("Genie:Lms:ScheduledSync", true))
            services.AddHostedService<ScheduledSync>();
        return builder;
    }
}
