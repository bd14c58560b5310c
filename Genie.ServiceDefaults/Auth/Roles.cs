namespace Genie.ServiceDefaults.Auth;

/// <summary>The people roles Genie.Web assigns, plus the role services use among themselves.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Instructor = "instructor";
    public const string Learner = "learner";

    /// <summary>A service acting on its own behalf (scheduled work), never a person.</summary>
    public const string Service = "service";

    public static readonly IReadOnlyList<string> People = [Admin, Instructor, Learner];

    public static bool IsPersonRole(string? role) => role is Admin or Instructor or Learner;
}
