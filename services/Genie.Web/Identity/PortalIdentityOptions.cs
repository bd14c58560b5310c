namespace Genie.Web.Identity;

/// <summary>Sign-in rules, from <c>Genie:Identity</c>.</summary>
public sealed class PortalIdentityOptions
{
    public const string Section = "Genie:Identity";

    /// <summary>Wrong passwords in a row before the account locks.</summary>
    public int MaxFailedAttempts { get; set; } = 5;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a sign-in cookie lasts without activity.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    public int MinimumPasswordLength { get; set; } = 10;
}
