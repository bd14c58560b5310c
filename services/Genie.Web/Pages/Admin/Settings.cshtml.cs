using Genie.Web.Audit;
using Genie.Web.Identity;
using Genie.Web.Notifications;
using Genie.Web.Settings;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Genie.Web.Pages.Admin;

public sealed class SettingsModel(PortalSettings settings, AuditLog audit, IOptions<SmtpOptions> smtp, IOptions<PortalIdentityOptions> identity) : PageModel
{
    [BindProperty]
    public bool InstructorsMayManageUsers { get; set; }

    public SmtpOptions Smtp => smtp.Value;

    public PortalIdentityOptions Identity => identity.Value;

    public async Task OnGetAsync() =>
        InstructorsMayManageUsers = await settings.InstructorsMayManageUsersAsync(HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostAsync()
    {
        var before = await settings.InstructorsMayManageUsersAsync(HttpContext.RequestAborted);
        if (before != InstructorsMayManageUsers)
        {
            await settings.SetInstructorsMayManageUsersAsync(InstructorsMayManageUsers, User.UserId(), HttpContext.RequestAborted);
            await audit.WriteAsync(AuditActor.From(User), "settings.update", PortalSettings.InstructorsMayManageUsersKey,
                InstructorsMayManageUsers ? "on" : "off", HttpContext.RequestAborted);
        }
        TempData["Flash"] = "Settings saved.";
        return RedirectToPage();
    }
}
