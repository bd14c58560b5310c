using System.ComponentModel.DataAnnotations;
using Genie.Web.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Genie.Web.Pages.Account;

[AllowAnonymous]
public sealed class SignInModel(SignInService signIn, TimeProvider time) : PageModel
{
    [BindProperty, Required(ErrorMessage = "Enter your email address."), EmailAddress(ErrorMessage = "Enter a valid email address.")]
    public string Email { get; set; } = "";

    [BindProperty, Required(ErrorMessage = "Enter your password."), DataType(DataType.Password)]
    public string Password { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public IActionResult OnGet()
    {
        if (User.Identity?.IsAuthenticated == true)
            return LocalRedirect(SafeReturnUrl());
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
            return Page();
        var attempt = await signIn.CheckAsync(Email, Password, HttpContext.RequestAborted);
        switch (attempt.Outcome)
        {
            case SignInOutcome.Success:
                await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, PortalPrincipal.Create(attempt.User!));
                return LocalRedirect(SafeReturnUrl());
            case SignInOutcome.LockedOut:
                var minutes = (int)Math.Ceiling((attempt.LockedUntil!.Value - time.GetUtcNow().UtcDateTime).TotalMinutes);
                Error = $"Too many wrong passwords: this account is locked. Try again in {Math.Max(1, minutes)} minute{(minutes == 1 ? "" : "s")}, or ask an administrator to unlock it.";
                break;
            case SignInOutcome.Deactivated:
                Error = "This account has been deactivated. Ask an administrator if you need access again.";
                break;
            default:
                Error = "The email or password is not correct.";
                break;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Password = "";
        return Page();
    }

    private string SafeReturnUrl() => Url.IsLocalUrl(ReturnUrl) && !ReturnUrl!.StartsWith("/Account/Sign", StringComparison.OrdinalIgnoreCase) ? ReturnUrl! : "~/";
}
