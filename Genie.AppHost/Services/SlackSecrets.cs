using Microsoft.Extensions.Configuration;

namespace Genie.AppHost.Services;

public static class SlackSecrets
{
    private static readonly string[] Keys = ["BotToken", "AppToken", "SigningSecret"];

    /// <summary>
    /// Hands the Slack service the tokens set in the AppHost's configuration (<c>Genie:Slack:*</c>), as secret
    /// parameters so the dashboard masks them. Nothing set: the service starts idle.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSlackSecrets(this IResourceBuilder<ProjectResource> slack, IDistributedApplicationBuilder builder)
    {
        foreach (var key in Keys)
        {
            if (builder.Configuration[$"Genie:Slack:{key}"] is not { Length: > 0 } value)
                continue;
            var parameter = builder.AddParameter($"slack-{key.ToLowerInvariant()}", value, secret: true);
            slack.WithEnvironment($"Genie__Slack__{key}", parameter);
        }
        return slack;
    }
}
