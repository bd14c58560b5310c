using Genie.Web.Audit;
using Genie.Web.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Genie.Web.Pages.Account;

public sealed class ChangePasswordModel(
    UserStore users,
    PasswordPolicy policy,
    IPasswordHasher<PortalUser> hasher,
    AuditLog audit) : PageModel
{
    [BindProperty]
    public string CurrentPassword { get; set; } = "";

    [BindProperty]
    public string NewPassword { get; set; } = "";

    [BindProperty]
    public string ConfirmPassword { get; set; } = "";

    public int MinimumLength => policy.MinimumLength;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.FindByIdAsync(User.UserId(), HttpContext.RequestAborted);
        if (user?.PasswordHash is null)
            return Forbid();
        if (hasher.VerifyHashedPassword(user, user.PasswordHash, CurrentPassword ?? "") == PasswordVerificationResult.Failed)
            ModelState.AddModelError(nameof(CurrentPassword), "This is not your current password.");
        else if (policy.Check(NewPassword, user.Email) is { } problem)
            ModelState.AddModelError(nameof(NewPassword), problem);
        else if (NewPassword != ConfirmPassword)
            ModelState.AddModelError(nameof(ConfirmPassword), "The two passwords differ.");
        else if (NewPassword == CurrentPassword)
            ModelState.AddModelError(nameof(NewPassword), "Choose a password different from the current one.");
        if (!ModelState.IsValid)
            return Page();

        await users.SetPasswordAsync(user.Id, hasher.HashPassword(user, NewPassword), HttpContext.RequestAborted);
        await audit.WriteAsync(AuditActor.From(User), "user.change-password", user.Email, "", HttpContext.RequestAborted);
        // The new security stamp ends every other session; renew this one.
        var updated = await users.FindByIdAsync(user.Id, HttpContext.RequestAborted);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, PortalPrincipal.Create(updated!));
        TempData["Flash"] = "Your password has been changed. Other devices have been signed out.";
        return RedirectToPage();
    }
}
