using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Rpc;
using Grpc.Core;

namespace Genie.LmsBridge.Progress;

/// <summary>
/// Who may see whose progress. Learners: only their own. Instructors: their own, and learners in the
/// courses they teach in TalentLMS (course role "instructor"), limited to those courses. Admins and
/// services: everyone. Identity is the token's e-mail, matched to TalentLMS users by e-mail.
/// </summary>
public sealed class LmsAccess(ProgressReader reader)
{
    /// <summary>The courses of <paramref name="email"/> the caller may see; null means all of them.</summary>
    public async Task<IReadOnlyCollection<string>?> LearnerScopeAsync(CallerIdentity caller, string email, CancellationToken ct)
    {
        if (caller.IsAdmin || caller.IsService || SameEmail(caller.Email, email))
            return null;
        if (!caller.IsInstructor)
            throw RpcErrors.PermissionDenied("Learners can only read their own progress.");
        return await reader.CoursesTaughtByAsync(caller.Email, ct);
    }

    /// <summary>The courses whose learners the caller oversees; null means all courses.</summary>
    public async Task<IReadOnlyCollection<string>?> TeamScopeAsync(CallerIdentity caller, CancellationToken ct) =>
        caller.IsAdmin || caller.IsService ? null : await reader.CoursesTaughtByAsync(caller.Email, ct);

    public static bool SameEmail(string a, string b) =>
        a.Length > 0 && string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
}
