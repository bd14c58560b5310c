using Genie.Web.Audit;
using Genie.Web.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Genie.Web.Pages.Account;

/// <summary>Where an invitation link lands: choose a first password, then you are signed in.</summary>
[AllowAnonymous]
public sealed class InvitationModel(
    InvitationStore invitations,
    UserStore users,
    PasswordPolicy policy,
    IPasswordHasher<PortalUser> hasher,
    AuditLog audit) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public string Password { get; set; } = "";

    [BindProperty]
    public string ConfirmPassword { get; set; } = "";

    public InvitationLookup Lookup { get; private set; } = new(InvitationState.Unknown);

    public int MinimumLength => policy.MinimumLength;

    public async Task<IActionResult> OnGetAsync()
    {
        Lookup = await invitations.LookupAsync(Token, HttpContext.RequestAborted);
        if (Lookup.State != InvitationState.Valid)
            Response.StatusCode = StatusCodes.Status410Gone;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Lookup = await invitations.LookupAsync(Token, HttpContext.RequestAborted);
        if (Lookup.State != InvitationState.Valid)
        {
            Response.StatusCode = StatusCodes.Status410Gone;
            return Page();
        }
        var user = Lookup.User!;
        if (policy.Check(Password, user.Email) is { } problem)
            ModelState.AddModelError(nameof(Password), problem);
        else if (Password != ConfirmPassword)
            ModelState.AddModelError(nameof(ConfirmPassword), "The two passwords differ.");
        if (!ModelState.IsValid)
            return Page();

        var redeemed = await invitations.RedeemAsync(Token!, hasher.HashPassword(user, Password), HttpContext.RequestAborted);
        if (redeemed is null)
        {
            // Used or expired between the check and now (e.g. a double submit).
            Lookup = await invitations.LookupAsync(Token, HttpContext.RequestAborted);
            Response.StatusCode = StatusCodes.Status410Gone;
            return Page();
        }
        var signedIn = await users.FindByIdAsync(redeemed.Value, HttpContext.RequestAborted);
        await audit.WriteAsync(new AuditActor(user.Id, user.Email), "user.accept-invitation", user.Email, "", HttpContext.RequestAborted);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, PortalPrincipal.Create(signedIn!));
        TempData["Flash"] = $"Welcome to Genie Mentor, {signedIn!.DisplayName}! Your password is set.";
        return LocalRedirect("~/");
    }
}
