using System.Security.Claims;
using Genie.ServiceDefaults.Auth;

namespace Genie.Web;

public sealed record NavLink(string Page, string Label, string Icon);

public sealed record NavSection(string Title, IReadOnlyList<NavLink> Links);

/// <summary>The side navigation a user sees: only links to pages their role may open.</summary>
public static class Navigation
{
    /// <summary>
    /// The link to highlight for the current page: an exact match, else the link whose folder
    /// (a link to ".../Index") contains the page most specifically.
    /// </summary>
    public static string? ActiveLink(IEnumerable<NavSection> sections, string? currentPage)
    {
        if (currentPage is null)
            return null;
        string? best = null;
        var bestLength = -1;
        foreach (var link in sections.SelectMany(s => s.Links))
        {
            var folder = link.Page != "/Index" && link.Page.EndsWith("/Index", StringComparison.Ordinal) ? link.Page[..^"Index".Length] : null;
            var length = string.Equals(link.Page, currentPage, StringComparison.OrdinalIgnoreCase) ? int.MaxValue
                : folder is not null && currentPage.StartsWith(folder, StringComparison.OrdinalIgnoreCase) ? folder.Length : -1;
            if (length > bestLength)
                (best, bestLength) = (link.Page, length);
        }
        return best;
    }

    public static IReadOnlyList<NavSection> For(ClaimsPrincipal user)
    {
        var sections = new List<NavSection>
        {
            new("Learn", [new("/Index", "Home", "home"), new("/Chat", "Chat", "bot"), new("/Learn/Progress", "My progress", "book")]),
        };
        if (user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Instructor))
        {
            sections.Add(new("Manage",
            [
                new("/Dashboard/Index", "Overview", "chart"),
                new("/Dashboard/Users/Index", "Users", "users"),
                new("/Dashboard/Bots", "Bot assignments", "bot"),
                new("/Dashboard/Knowledge/Index", "Knowledge bases", "book"),
                new("/Dashboard/Team", "Team progress", "target"),
            ]));
        }
        if (user.IsInRole(Roles.Admin))
        {
            sections.Add(new("Administer",
            [
                new("/Admin/Analytics", "Analytics", "chart"),
                new("/Admin/Feedback", "Feedback", "thumb"),
                new("/Admin/Settings", "Settings", "settings"),
                new("/Admin/Lms", "TalentLMS", "book"),
                new("/Admin/Slack", "Slack", "chat"),
                new("/Admin/Notifications", "Notifications", "mail"),
                new("/Admin/Audit", "Audit log", "list"),
                new("/Admin/System", "System health", "pulse"),
            ]));
        }
        sections.Add(new("Account",
        [
            new("/Preferences", "What Genie remembers", "settings"),
            new("/Me/Tokens", "Access tokens", "key"),
            new("/Account/ChangePassword", "Change password", "lock"),
        ]));
        return sections;
    }
}
