namespace Genie.Slack;

/// <summary>
/// <c>Genie:Slack</c>. Without a bot token the service stays idle and says so; with an app token
/// (<c>xapp-…</c>) it connects over Socket Mode; with a signing secret it also accepts the HTTP Events API.
/// The three secrets saved in the portal (Admin → Slack) win over these; <see cref="Settings.SlackSecrets"/> has the ones in effect.
/// </summary>
public sealed class SlackOptions
{
    public const string Section = "Genie:Slack";

    /// <summary><c>xoxb-…</c>: the Web API (posting, updating, users.info).</summary>
    public string? BotToken { get; set; }

    /// <summary>Verifies requests to <c>/slack/events</c>, <c>/slack/interactivity</c>, <c>/slack/commands</c>.</summary>
    public string? SigningSecret { get; set; }

    /// <summary><c>xapp-…</c> with <c>connections:write</c>: Socket Mode.</summary>
    public string? AppToken { get; set; }

    /// <summary>The Web API base; a test points it at the fake Slack.</summary>
    public string ApiBaseUrl { get; set; } = "https://slack.com/api/";

    /// <summary>The portal's external URL for "Continue in the portal"; else <c>Genie:Web:PublicUrl</c>.</summary>
    public string? PortalUrl { get; set; }

    /// <summary>How often a streaming answer's placeholder is updated at most (chat.update is Tier 3, about 1/s).</summary>
    public TimeSpan UpdateInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Answers worked on at once.</summary>
    public int Workers { get; set; } = 16;

    /// <summary>Socket Mode reconnect backoff: first delay, doubled up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often LmsBridge is asked for reminders to deliver as DMs.</summary>
    public TimeSpan ReminderInterval { get; set; } = TimeSpan.FromMinutes(1);
}
