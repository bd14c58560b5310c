using System.Security.Claims;
using Genie.ServiceDefaults.Auth;

namespace Genie.Web;

public sealed record NavLink(string Page, string Label, string Icon);

public sealed record NavSection(string Title, IReadOnlyList<NavLink> Links);

/// <summary>The side navigation a user sees: only links to pages their role may open.</summary>
public static class Navigation
{
    public static IReadOnlyList<NavSection> For(ClaimsPrincipal user)
    {
        var sections = new List<NavSection>
        {
            new("Learn", [new("/Index", "Home", "home")]),
        };
        if (user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Instructor))
        {
            sections.Add(new("Manage",
            [
                new("/Dashboard/Index", "Overview", "chart"),
                new("/Dashboard/Users/Index", "Users", "users"),
                new("/Dashboard/Bots", "Bot assignments", "bot"),
            ]));
        }
        if (user.IsInRole(Roles.Admin))
        {
            sections.Add(new("Administer",
            [
                new("/Admin/Settings", "Settings", "settings"),
                new("/Admin/Notifications", "Notifications", "mail"),
                new("/Admin/Audit", "Audit log", "list"),
                new("/Admin/System", "System health", "pulse"),
            ]));
        }
        sections.Add(new("Account",
        [
            new("/Me/Tokens", "Access tokens", "key"),
            new("/Account/ChangePassword", "Change password", "lock"),
        ]));
        return sections;
    }
}
