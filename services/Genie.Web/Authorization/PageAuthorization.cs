using Microsoft.AspNetCore.Mvc.ApplicationModels;

namespace Genie.Web.Authorization;

/// <summary>
/// Who may open which folder of pages. Everything not listed needs a signed-in user (the fallback
/// policy); pages that must be public say so with [AllowAnonymous].
/// </summary>
public static class PageAuthorization
{
    public static void Apply(PageConventionCollection conventions)
    {
        conventions.AuthorizeFolder("/");
        conventions.AuthorizeFolder("/Admin", Policies.Admin);
        conventions.AuthorizeFolder("/Dashboard", Policies.Staff);
        conventions.AuthorizeFolder("/Dashboard/Users/Manage", Policies.ManageUsers);
        conventions.AuthorizePage("/Dashboard/Bots", Policies.ManageUsers);
    }
}
