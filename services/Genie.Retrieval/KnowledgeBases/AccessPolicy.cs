using Genie.ServiceDefaults.Auth;

namespace Genie.Retrieval.KnowledgeBases;

/// <summary>
/// Who may read and who may manage a knowledge base. Admins: everything. Instructors: create, and
/// manage what they created (or all, when <c>InstructorsManageOwnOnly</c> is false); read what they
/// manage or are granted. Learners: read what is granted to their user id or role. Services acting
/// on their own behalf (scheduled work) read everything and manage nothing.
/// </summary>
public sealed class AccessPolicy(RetrievalOptions options)
{
    public bool CanCreate(CallerIdentity caller) => caller.IsAdmin || caller.IsInstructor;

    public bool CanManage(CallerIdentity caller, KnowledgeBaseRecord kb) =>
        caller.IsAdmin || caller.IsInstructor && (!options.InstructorsManageOwnOnly || kb.CreatedBy == caller.UserId);

    public bool CanRead(CallerIdentity caller, KnowledgeBaseRecord kb) =>
        caller.IsService || CanManage(caller, kb) || IsGranted(caller, kb);

    public static bool IsGranted(CallerIdentity caller, KnowledgeBaseRecord kb) =>
        kb.GrantedUsers.Contains(caller.UserId) || kb.GrantedRoles.Contains(caller.Role);

    /// <summary>The SQL condition (over alias <c>kb</c>) selecting readable knowledge bases; parameters @user_id, @role.</summary>
    public string ReadableSql(CallerIdentity caller)
    {
        if (caller.IsAdmin || caller.IsService || caller.IsInstructor && !options.InstructorsManageOwnOnly)
            return "true";
        const string granted =
            "EXISTS (SELECT 1 FROM retrieval.kb_grants g WHERE g.kb_id = kb.id AND " +
            "((g.principal_kind = 'user' AND g.principal = @user_id) OR (g.principal_kind = 'role' AND g.principal = @role)))";
        return caller.IsInstructor ? $"(kb.created_by = @user_id OR {granted})" : granted;
    }
}
