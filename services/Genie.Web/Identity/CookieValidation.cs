using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Genie.Web.Identity;

/// <summary>
/// Re-checks every authenticated request against the database: a deactivated user, a changed role
/// or a changed password (security stamp) ends the session at once, on every replica.
/// </summary>
public sealed class CookieValidation(UserStore users) : CookieAuthenticationEvents
{
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var valid = false;
        if (principal is not null && Guid.TryParse(principal.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value, out var id))
        {
            var user = await users.FindByIdAsync(id, context.HttpContext.RequestAborted);
            valid = user is { Active: true }
                && user.SecurityStamp.ToString() == principal.FindFirst(PortalPrincipal.SecurityStampClaim)?.Value;
            if (valid && user!.DisplayName != principal.DisplayName())
            {
                context.ReplacePrincipal(PortalPrincipal.Create(user));
                context.ShouldRenew = true;
            }
        }
        if (!valid)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    public override Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context)
    {
        // A signed-in user without the role gets a plain 403 (rendered by the status code page), not a redirect.
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

    public override Task RedirectToLogin(RedirectContext<CookieAuthenticationOptions> context)
    {
        if (IsScriptRequest(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        }
        return base.RedirectToLogin(context);
    }

    private static bool IsScriptRequest(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase)
        || request.Headers["X-Requested-With"] == "fetch";
}
