using Genie.ServiceDefaults.Auth;
using Genie.Web.Audit;
using Genie.Web.Bots;
using Genie.Web.Identity;
using Genie.Web.Notifications;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Genie.Web.Pages.Dashboard.Users.Manage;

public sealed class EditModel(
    UserStore users,
    UserAdministration administration,
    BotAssignments assignments,
    NotificationStore notifications,
    AuditLog audit,
    IConfiguration configuration,
    TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    [BindProperty]
    public string DisplayName { get; set; } = "";

    [BindProperty]
    public string Role { get; set; } = "";

    [BindProperty]
    public bool Active { get; set; }

    [BindProperty]
    public List<string> Bots { get; set; } = [];

    public PortalUser Subject { get; private set; } = new();

    public IReadOnlyList<WelcomeView> Welcomes { get; private set; } = [];

    public bool IsSelf => Subject.Id == User.UserId();

    public bool IsLocked => Subject.LockoutUntil > time.GetUtcNow().UtcDateTime;

    public IReadOnlyList<string> AllowedRoles => User.IsInRole(Roles.Admin) ? Roles.People : [Roles.Learner];

    public sealed record WelcomeView(Notification Notification, string? Link);

    public async Task<IActionResult> OnGetAsync()
    {
        if (await LoadAsync() is { } denied)
            return denied;
        DisplayName = Subject.DisplayName;
        Role = Subject.Role;
        Active = Subject.Active;
        Bots = (await assignments.ForUserAsync(Id, HttpContext.RequestAborted)).Select(a => a.Bot).ToList();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await LoadAsync() is { } denied)
            return denied;
        if (UserAdministration.ValidateDisplayName(DisplayName) is { } nameProblem)
            ModelState.AddModelError(nameof(DisplayName), nameProblem);
        if (!AllowedRoles.Contains(Role))
            ModelState.AddModelError(nameof(Role), "Choose one of the offered roles.");
        if (IsSelf && (Role != Subject.Role || !Active))
            ModelState.AddModelError(nameof(Role), "You cannot change your own role or deactivate yourself; ask another admin.");
        if (Subject.Role == Roles.Admin && Subject.Active && (Role != Roles.Admin || !Active) && await users.CountActiveAdminsAsync(HttpContext.RequestAborted) <= 1)
            ModelState.AddModelError(nameof(Role), "This is the last active admin; make someone else admin first.");
        Bots = Bots.Where(b => Bot.Find(b) is not null).Distinct().ToList();
        if (!ModelState.IsValid)
            return Page();

        await administration.UpdateAsync(AuditActor.From(User), Subject, new UserChange(DisplayName, Role, Active), HttpContext.RequestAborted);
        var before = (await assignments.ForUserAsync(Id, HttpContext.RequestAborted)).Select(a => a.Bot).Order().ToList();
        await assignments.SetForUserAsync(Id, Bots, HttpContext.RequestAborted);
        if (!before.SequenceEqual(Bots.Order()))
            await audit.WriteAsync(AuditActor.From(User), "bots.assign-user", Subject.Email,
                Bots.Count == 0 ? "no bots" : string.Join(", ", Bots.Order()), HttpContext.RequestAborted);
        TempData["Flash"] = "Changes saved.";
        return RedirectToPage(new { id = Id });
    }

    public async Task<IActionResult> OnPostReinviteAsync()
    {
        if (await LoadAsync() is { } denied)
            return denied;
        if (!Subject.Active)
        {
            TempData["FlashError"] = "Reactivate the user before sending a new invitation.";
            return RedirectToPage(new { id = Id });
        }
        await administration.ReinviteAsync(AuditActor.From(User), User.DisplayName(), Id, PublicUrl.For(Request, configuration), HttpContext.RequestAborted);
        TempData["Flash"] = "A new invitation has been created; earlier links no longer work.";
        return RedirectToPage(new { id = Id });
    }

    public async Task<IActionResult> OnPostUnlockAsync()
    {
        if (await LoadAsync() is { } denied)
            return denied;
        await users.UnlockAsync(Id, HttpContext.RequestAborted);
        await audit.WriteAsync(AuditActor.From(User), "user.unlock", Subject.Email, "", HttpContext.RequestAborted);
        TempData["Flash"] = "The account is unlocked.";
        return RedirectToPage(new { id = Id });
    }

    public async Task<IActionResult> OnPostRetryAsync(Guid notificationId)
    {
        if (await LoadAsync() is { } denied)
            return denied;
        if (Welcomes.Any(w => w.Notification.Id == notificationId) && await notifications.RetryNowAsync(notificationId, HttpContext.RequestAborted))
        {
            HttpContext.RequestServices.GetRequiredService<NotificationSignal>().Notify();
            await audit.WriteAsync(AuditActor.From(User), "notification.retry", Subject.Email, "", HttpContext.RequestAborted);
            TempData["Flash"] = "The email will be sent again in a moment.";
        }
        return RedirectToPage(new { id = Id });
    }

    /// <summary>Loads the user; instructors get 403 for anyone but a learner.</summary>
    private async Task<IActionResult?> LoadAsync()
    {
        var subject = await users.FindByIdAsync(Id, HttpContext.RequestAborted);
        if (subject is null)
            return NotFound();
        if (!User.IsInRole(Roles.Admin) && subject.Role != Roles.Learner)
            return Forbid();
        Subject = subject;
        var all = await notifications.ForUserAsync(Id, HttpContext.RequestAborted);
        Welcomes = all.Where(n => n.Kind == WelcomeMessage.Kind).Select(n => new WelcomeView(n, notifications.ReadLink(n))).ToList();
        return null;
    }
}
