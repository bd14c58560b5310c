namespace Genie.ServiceDefaults.Auth;

/// <summary>
/// Who is calling, taken from the validated bearer token, never from a request field.
/// <see cref="Token"/> is the raw token, forwarded when a service calls another on the caller's behalf.
/// </summary>
public sealed record CallerIdentity(string UserId, string Email, string Name, string Role, string Token, DateTimeOffset ExpiresAt)
{
    public bool IsAdmin => Role == Roles.Admin;

    public bool IsInstructor => Role == Roles.Instructor;

    public bool IsLearner => Role == Roles.Learner;

    public bool IsService => Role == Roles.Service;

    public bool IsInRole(params string[] roles) => roles.Contains(Role);
}
