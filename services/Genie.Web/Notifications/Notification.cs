namespace Genie.Web.Notifications;

public static class NotificationStatus
{
    public const string Pending = "pending";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Failed = "failed";

    /// <summary>No SMTP server is configured: the portal shows the message to the admin instead.</summary>
    public const string PortalOnly = "portal_only";
}

/// <summary>One outbound message as stored in <c>portal.notifications</c>; the body stays protected.</summary>
public sealed class Notification
{
    public Guid Id { get; init; }
    public string Kind { get; init; } = "";
    public Guid? UserId { get; init; }
    public string Recipient { get; init; } = "";
    public string Subject { get; init; } = "";
    public string BodyProtected { get; init; } = "";
    public string? LinkProtected { get; init; }
    public string Status { get; init; } = "";
    public int Attempts { get; init; }
    public string? LastError { get; init; }
    public DateTime? NextAttemptAt { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? SentAt { get; init; }

    public bool NeedsAttention => Status == NotificationStatus.Failed || (Status is NotificationStatus.Pending or NotificationStatus.Sending && LastError is not null);
}
