namespace Genie.Web.Notifications;

/// <summary>Outbound email, from <c>Genie:Smtp</c>. Without a host, notifications are shown in the portal only.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Genie:Smtp";

    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    public string From { get; set; } = "genie@localhost";
    public string? User { get; set; }
    public string? Password { get; set; }

    /// <summary>STARTTLS; turn on for any server outside this machine.</summary>
    public bool EnableSsl { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First retry after this; doubles per attempt up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>After this many failed attempts the notification is marked failed; an admin can retry it.</summary>
    public int MaxAttempts { get; set; } = 12;

    /// <summary>How often the dispatcher looks for due notifications when nothing wakes it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    public TimeSpan DelayAfter(int attempts)
    {
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(RetryDelay.Ticks * factor, MaxRetryDelay.Ticks));
        return delay;
    }
}
