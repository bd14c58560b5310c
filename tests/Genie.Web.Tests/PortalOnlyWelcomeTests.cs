using System.Net;
using Genie.ServiceDefaults.Auth;
using Genie.Web.Tests.Infrastructure;

namespace Genie.Web.Tests;

/// <summary>Without SMTP the welcome is never lost: the portal shows it, with the link.</summary>
public sealed class PortalOnlyWelcomeTests : IAsyncLifetime
{
    private PortalHost _host = null!;

    public async Task InitializeAsync() => _host = await PortalHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_invitation_is_shown_to_the_admin_when_no_smtp_is_configured()
    {
        using var admin = await _host.SignedInAdminAsync();
        var email = $"portal-{Guid.NewGuid():N}@genie.test";
        var created = await admin.PostFormAsync("/Dashboard/Users/Manage/Create", new { Email = email, DisplayName = "Pat Portal", Role = Roles.Learner, Bots = new[] { "onboarding" } });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var (_, page) = await admin.GetPageAsync(created.Headers.Location!.OriginalString);
        Assert.NotNull(page.QuerySelector("[data-status=portal_only]"));
        var link = page.QuerySelector("[data-test=invitation-link]")!.TextContent.Trim();
        Assert.StartsWith(_host.BaseAddress.ToString().TrimEnd('/') + "/Account/Invitation?token=", link);
        Assert.True(page.QuerySelector("input[name=Bots][value=onboarding]")!.HasAttribute("checked"));

        var (_, audit) = await admin.GetPageAsync("/Admin/Audit");
        Assert.Contains(email, audit.QuerySelector("[data-test=audit-table]")!.TextContent);
    }

    [Fact]
    public async Task A_duplicate_email_is_refused_with_a_message()
    {
        using var admin = await _host.SignedInAdminAsync();
        var response = await admin.PostFormAsync("/Dashboard/Users/Manage/Create", new { Email = PortalHost.AdminEmail.ToUpperInvariant(), DisplayName = "Twin", Role = Roles.Learner });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("already exists", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Users_can_be_searched_and_paged()
    {
        for (var i = 0; i < 23; i++)
            await _host.CreateAsync(Roles.Learner, email: $"pager-{i:D2}-{Guid.NewGuid():N}@genie.test", name: $"Pager {i:D2}");
        using var admin = await _host.SignedInAdminAsync();
        var (_, first) = await admin.GetPageAsync("/Dashboard/Users?q=pager-");
        Assert.Equal(20, first.QuerySelectorAll("[data-test=users-table] tbody tr").Length);
        var next = first.QuerySelector("a[rel=next]")!.GetAttribute("href")!;
        var (_, second) = await admin.GetPageAsync(next);
        Assert.Equal(3, second.QuerySelectorAll("[data-test=users-table] tbody tr").Length);
        var (_, one) = await admin.GetPageAsync("/Dashboard/Users?q=Pager%2007");
        Assert.Single(one.QuerySelectorAll("[data-test=users-table] tbody tr"));
    }
}
