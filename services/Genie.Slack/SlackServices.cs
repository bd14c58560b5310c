using Genie.Contracts.Agent.V1;
using Genie.Contracts.Lms.V1;
using Genie.Contracts.Portal.V1;
using Genie.ServiceDefaults.Clients;
using Genie.ServiceDefaults.Secrets;
using Genie.Slack.Admin;
using Genie.Slack.Answering;
using Genie.Slack.Backends;
using Genie.Slack.Commands;
using Genie.Slack.Inbound;
using Genie.Slack.People;
using Genie.Slack.Reminders;
using Genie.Slack.Settings;
using Genie.Slack.SocketMode;
using Genie.Slack.WebApi;
using Genie.Slack.Welcome;
using Genie.ServiceDefaults.Rpc;

namespace Genie.Slack;

public static class SlackServices
{
    /// <summary>Everything the Slack adapter needs besides the service defaults and the database.</summary>
    public static IHostApplicationBuilder AddSlack(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var options = new SlackOptions();
        builder.Configuration.GetSection(SlackOptions.Section).Bind(options);
        services.AddSingleton(options);
        services.AddSingleton(SecretProtector.FromConfiguration(builder.Configuration, "slack", "the Slack tokens saved in the portal"));
        services.AddSingleton<SlackSecrets>();
        services.AddSingleton<SlackSettingsStore>();
        services.AddSingleton<ChannelSettingsStore>();
        // Before Socket Mode and the workers start: they begin with the settings saved in the portal.
        services.AddHostedService<SlackSettingsLoader>();
        services.AddServiceClient<PortalService.PortalServiceClient>("web");
        services.AddServiceClient<AgentService.AgentServiceClient>("agent");
        services.AddServiceClient<LmsService.LmsServiceClient>("lmsbridge");
        services.AddSingleton<GenieBackends>();
        services.AddSingleton(sp => new SlackWebApi(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(30) },
            options, sp.GetRequiredService<SlackSecrets>(), sp.GetRequiredService<ILogger<SlackWebApi>>()));
        services.AddSingleton<SlackStore>();
        services.AddSingleton<SlackWorkQueue>();
        services.AddSingleton<SlackInbox>();
        services.AddSingleton<SlackPeople>();
        services.AddSingleton<SlackAnswerer>();
        services.AddSingleton<SlashCommands>();
        services.AddHostedService<SlackWorkers>();
        services.AddSingleton<ReminderDelivery>();
        services.AddHostedService(sp => sp.GetRequiredService<ReminderDelivery>());
        services.AddSingleton<SocketModeConnection>();
        services.AddHostedService(sp => sp.GetRequiredService<SocketModeConnection>());
        services.AddGrpcService<WelcomeNoticeHandler>();
        services.AddGrpcService<SlackAdminHandler>();
        return builder;
    }
}
