using System.Reflection;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Genie.Web.Tests.Infrastructure;

public enum Access { Anonymous, SignedIn, Staff, ManageUsers, Admin }

public sealed record PortalPage(string Path, Type Model)
{
    /// <summary>The POST handlers of the page ("" for OnPost/OnPostAsync).</summary>
    public IReadOnlyList<string> PostHandlers => Model.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        .Select(m => m.Name)
        .Where(n => n.StartsWith("OnPost", StringComparison.Ordinal))
        .Select(n => n["OnPost".Length..] is var rest && rest.EndsWith("Async", StringComparison.Ordinal) ? rest[..^"Async".Length] : n["OnPost".Length..])
        .Distinct()
        .ToList();
}

/// <summary>Every Razor page of the portal, found by reflection over its page models.</summary>
public static class PortalPages
{
    private const string PagesNamespace = "Genie.Web.Pages";

    public static IReadOnlyList<PortalPage> All { get; } = typeof(Genie.Web.PortalApp).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(PageModel)) && !t.IsAbstract && t.Namespace?.StartsWith(PagesNamespace, StringComparison.Ordinal) == true)
        .Select(t => new PortalPage(
            (t.Namespace![PagesNamespace.Length..].Replace('.', '/') + "/" + t.Name[..^"Model".Length]),
            t))
        .OrderBy(p => p.Path)
        .ToList();
}
