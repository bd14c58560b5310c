namespace Genie.Web.Identity;

/// <summary>A person who may use the portal, as stored in <c>portal.users</c>.</summary>
public sealed class PortalUser
{
    public Guid Id { get; init; }
    public string Email { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string Role { get; init; } = "";
    public bool Active { get; init; }
    public string? PasswordHash { get; init; }
    public int FailedAttempts { get; init; }
    public DateTime? LockoutUntil { get; init; }
    public Guid SecurityStamp { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? LastSignInAt { get; init; }

    public bool HasPassword => PasswordHash is not null;
}
