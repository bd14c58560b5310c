using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Genie.Web.Identity;

/// <summary>The claims a signed-in portal user carries in the auth cookie, and how to read them back.</summary>
public static class PortalPrincipal
{
    public const string SecurityStampClaim = "genie:stamp";

    public static ClaimsPrincipal Create(PortalUser user)
    {
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new Claim(ClaimTypes.Name, user.DisplayName),
            new Claim(ClaimTypes.Email, user.Email),
            new Claim(ClaimTypes.Role, user.Role),
            new Claim(SecurityStampClaim, user.SecurityStamp.ToString()),
        ], CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role);
        return new ClaimsPrincipal(identity);
    }

    public static Guid UserId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            ? id
            : throw new InvalidOperationException("The request has no signed-in portal user.");

    public static string Email(this ClaimsPrincipal principal) => principal.FindFirstValue(ClaimTypes.Email) ?? "";

    public static string DisplayName(this ClaimsPrincipal principal) => principal.FindFirstValue(ClaimTypes.Name) ?? "";

    public static string Role(this ClaimsPrincipal principal) => principal.FindFirstValue(ClaimTypes.Role) ?? "";
}
