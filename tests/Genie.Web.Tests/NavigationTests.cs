using System.Security.Claims;
using Genie.ServiceDefaults.Auth;
using Genie.Web.Identity;

namespace Genie.Web.Tests;

public sealed class NavigationTests
{
    private static ClaimsPrincipal As(string role) => PortalPrincipal.Create(new PortalUser { Id = Guid.NewGuid(), Email = "x@genie.test", DisplayName = "X", Role = role });

    [Theory]
    [InlineData("/Dashboard/Users/Manage/Edit", "/Dashboard/Users/Index")]
    [InlineData("/Dashboard/Users/Index", "/Dashboard/Users/Index")]
    [InlineData("/Dashboard/Index", "/Dashboard/Index")]
    [InlineData("/Dashboard/Bots", "/Dashboard/Bots")]
    [InlineData("/Index", "/Index")]
    [InlineData("/Account/SignIn", null)]
    public void The_most_specific_link_is_highlighted(string page, string? expected) =>
        Assert.Equal(expected, Navigation.ActiveLink(Navigation.For(As(Roles.Admin)), page));

    [Fact]
    public void Learners_see_no_management_links()
    {
        var pages = Navigation.For(As(Roles.Learner)).SelectMany(s => s.Links).Select(l => l.Page).ToList();
        Assert.DoesNotContain(pages, p => p.StartsWith("/Dashboard") || p.StartsWith("/Admin"));
        var instructor = Navigation.For(As(Roles.Instructor)).SelectMany(s => s.Links).Select(l => l.Page).ToList();
        Assert.Contains("/Dashboard/Users/Index", instructor);
        Assert.DoesNotContain(instructor, p => p.StartsWith("/Admin"));
    }
}
