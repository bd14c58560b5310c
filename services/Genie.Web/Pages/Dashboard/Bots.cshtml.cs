using Genie.ServiceDefaults.Auth;
using Genie.Web.Audit;
using Genie.Web.Bots;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;

namespace Genie.Web.Pages.Dashboard;

/// <summary>Who gets which bot: per role (everyone with it) and per person.</summary>
public sealed class BotsModel(BotAssignments assignments, NpgsqlDataSource db, AuditLog audit) : PageModel
{
    public IReadOnlyList<BotAssignment> Assignments { get; private set; } = [];

    /// <summary>Checked role × bot pairs, posted as "role:bot".</summary>
    [BindProperty]
    public List<string> RoleBots { get; set; } = [];

    public bool IsAssigned(string role, string bot) => Assignments.Any(a => a.Role == role && a.Bot == bot);

    /// <summary>Instructors may manage learners only, so they change the learner role's bots only.</summary>
    public IReadOnlyList<string> EditableRoles => User.IsInRole(Roles.Admin) ? Roles.People : [Roles.Learner];

    public async Task OnGetAsync() => Assignments = await assignments.ListAsync(HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostRolesAsync()
    {
        var wanted = RoleBots.Select(v => v.Split(':')).Where(p => p.Length == 2 && EditableRoles.Contains(p[0]) && Bot.Find(p[1]) is not null)
            .Select(p => (Role: p[0], Bot: p[1])).ToHashSet();
        var current = (await assignments.ListAsync(HttpContext.RequestAborted)).Where(a => a.Role is not null && EditableRoles.Contains(a.Role)).ToList();
        var changes = new List<string>();
        await using var conn = await db.OpenConnectionAsync(HttpContext.RequestAborted);
        await using var tx = await conn.BeginTransactionAsync(HttpContext.RequestAborted);
        foreach (var a in current.Where(a => !wanted.Contains((a.Role!, a.Bot))))
        {
            await BotAssignments.RemoveAsync(conn, tx, a.Id, HttpContext.RequestAborted);
            changes.Add($"-{a.Bot} for {a.Role}");
        }
        foreach (var (role, bot) in wanted)
            if (await BotAssignments.AssignAsync(conn, tx, bot, null, role, HttpContext.RequestAborted))
                changes.Add($"+{bot} for {role}");
        if (changes.Count > 0)
            await AuditLog.WriteAsync(conn, tx, AuditActor.From(User), "bots.assign-role", "roles", string.Join(", ", changes), HttpContext.RequestAborted);
        await tx.CommitAsync(HttpContext.RequestAborted);
        TempData["Flash"] = changes.Count == 0 ? "Nothing changed." : "Role assignments saved.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid id)
    {
        var all = await assignments.ListAsync(HttpContext.RequestAborted);
        var target = all.FirstOrDefault(a => a.Id == id && a.UserId is not null);
        if (target is null)
            return NotFound();
        if (!User.IsInRole(Roles.Admin))
        {
            var subject = await HttpContext.RequestServices.GetRequiredService<Identity.UserStore>().FindByIdAsync(target.UserId!.Value, HttpContext.RequestAborted);
            if (subject?.Role != Roles.Learner)
                return Forbid();
        }
        await assignments.RemoveAsync(id, HttpContext.RequestAborted);
        await audit.WriteAsync(AuditActor.From(User), "bots.unassign-user", target.UserEmail ?? "", target.Bot, HttpContext.RequestAborted);
        TempData["Flash"] = $"{Bot.Find(target.Bot)?.Name} removed from {target.UserDisplayName}.";
        return RedirectToPage();
    }
}
