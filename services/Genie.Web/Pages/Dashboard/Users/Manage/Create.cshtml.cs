using Genie.ServiceDefaults.Auth;
using Genie.Web.Audit;
using Genie.Web.Bots;
using Genie.Web.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Genie.Web.Pages.Dashboard.Users.Manage;

public sealed class CreateModel(UserAdministration administration, BotAssignments assignments, IConfiguration configuration) : PageModel
{
    [BindProperty]
    public string Email { get; set; } = "";

    [BindProperty]
    public string DisplayName { get; set; } = "";

    [BindProperty]
    public string Role { get; set; } = Roles.Learner;

    [BindProperty]
    public List<string> Bots { get; set; } = [];

    /// <summary>Instructors may only add learners.</summary>
    public IReadOnlyList<string> AllowedRoles => User.IsInRole(Roles.Admin) ? Roles.People : [Roles.Learner];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (UserAdministration.ValidateEmail(Email) is { } emailProblem)
            ModelState.AddModelError(nameof(Email), emailProblem);
        if (UserAdministration.ValidateDisplayName(DisplayName) is { } nameProblem)
            ModelState.AddModelError(nameof(DisplayName), nameProblem);
        if (!AllowedRoles.Contains(Role))
            ModelState.AddModelError(nameof(Role), "Choose one of the offered roles.");
        Bots = Bots.Where(b => Bot.Find(b) is not null).Distinct().ToList();
        if (!ModelState.IsValid)
            return Page();

        var created = await administration.CreateAsync(AuditActor.From(User), User.DisplayName(), Email, DisplayName, Role,
            PublicUrl.For(Request, configuration), HttpContext.RequestAborted);
        if (created is null)
        {
            ModelState.AddModelError(nameof(Email), "A user with this email already exists.");
            return Page();
        }
        if (Bots.Count > 0)
            await assignments.SetForUserAsync(created.UserId, Bots, HttpContext.RequestAborted);
        TempData["Flash"] = $"{DisplayName.Trim()} has been added. Their invitation link is below.";
        return RedirectToPage("Edit", new { id = created.UserId });
    }
}
