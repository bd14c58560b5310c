using System.Net;
using Genie.ServiceDefaults.Auth;
using Genie.Web.Settings;
using Genie.Web.Tests.Infrastructure;

namespace Genie.Web.Tests;

/// <summary>
/// Who may open every page and call every POST handler, checked against the running portal over
/// HTTP with real cookies. A new page fails <see cref="Every_page_is_in_the_matrix"/> until it is
/// classified here.
/// </summary>
public sealed class AuthorizationMatrixTests(AuthorizationMatrixTests.Fixture fixture) : IClassFixture<AuthorizationMatrixTests.Fixture>
{
    public static readonly IReadOnlyDictionary<string, Access> Matrix = new Dictionary<string, Access>
    {
        ["/Account/SignIn"] = Access.Anonymous,
        ["/Account/SignOut"] = Access.Anonymous,
        ["/Account/Invitation"] = Access.Anonymous,
        ["/Errors/Status"] = Access.Anonymous,
        ["/Index"] = Access.SignedIn,
        ["/Account/ChangePassword"] = Access.SignedIn,
        ["/Me/Tokens"] = Access.SignedIn,
        ["/Learn/Progress"] = Access.SignedIn,
        ["/Chat"] = Access.SignedIn,
        ["/Preferences"] = Access.SignedIn,
        ["/Source"] = Access.SignedIn,
        ["/Dashboard/Team"] = Access.Staff,
        ["/Dashboard/Knowledge/Index"] = Access.Staff,
        ["/Dashboard/Knowledge/Base"] = Access.Staff,
        ["/Dashboard/Index"] = Access.Staff,
        ["/Dashboard/Users/Index"] = Access.Staff,
        ["/Dashboard/Users/Manage/Create"] = Access.ManageUsers,
        ["/Dashboard/Users/Manage/Edit"] = Access.ManageUsers,
        ["/Dashboard/Bots"] = Access.ManageUsers,
        ["/Admin/Settings"] = Access.Admin,
        ["/Admin/Audit"] = Access.Admin,
        ["/Admin/Notifications"] = Access.Admin,
        ["/Admin/System"] = Access.Admin,
        ["/Admin/Lms"] = Access.Admin,
        ["/Admin/Slack"] = Access.Admin,
        ["/Admin/Analytics"] = Access.Admin,
        ["/Admin/Feedback"] = Access.Admin,
    };

    public sealed class Fixture : IAsyncLifetime
    {
        public PortalHost Host { get; private set; } = null!;
        public TestUser Learner { get; private set; } = null!;
        public TestUser Instructor { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Host = await PortalHost.StartAsync();
            Learner = await Host.CreateAsync(Roles.Learner);
            Instructor = await Host.CreateAsync(Roles.Instructor);
        }

        public async Task DisposeAsync() => await Host.DisposeAsync();

        /// <summary>A concrete URL for the page (route values filled in).</summary>
        public string UrlOf(string page) => page switch
        {
            "/Index" => "/",
            "/Dashboard/Users/Manage/Edit" => $"/Dashboard/Users/Manage/Edit/{Learner.Id}",
            "/Errors/Status" => "/Errors/404",
            "/Dashboard/Index" => "/Dashboard",
            "/Dashboard/Users/Index" => "/Dashboard/Users",
            "/Dashboard/Knowledge/Index" => "/Dashboard/Knowledge",
            "/Dashboard/Knowledge/Base" => "/Dashboard/Knowledge/Base/kb-unknown",
            "/Source" => "/Source/chunk-unknown",
            _ => page,
        };

        public async Task<PortalBrowser> ClientForAsync(string role) => role switch
        {
            "anonymous" => Host.CreateClient(),
            Roles.Learner => await Host.SignedInClientAsync(Learner),
            Roles.Instructor => await Host.SignedInClientAsync(Instructor),
            Roles.Admin => await Host.SignedInAdminAsync(),
            _ => throw new ArgumentOutOfRangeException(nameof(role)),
        };
    }

    public static TheoryData<string> PagePaths() => new(Matrix.Keys);

    public static TheoryData<string, string> PagesByRole()
    {
        var data = new TheoryData<string, string>();
        foreach (var page in Matrix.Keys)
            foreach (var role in new[] { "anonymous", Roles.Learner, Roles.Instructor, Roles.Admin })
                data.Add(page, role);
        return data;
    }

    [Fact]
    public void Every_page_is_in_the_matrix()
    {
        var pages = PortalPages.All.Select(p => p.Path).ToList();
        Assert.Empty(pages.Except(Matrix.Keys));
        Assert.Empty(Matrix.Keys.Except(pages));
    }

    [Theory]
    [MemberData(nameof(PagesByRole))]
    public async Task Get_is_allowed_or_refused_by_role(string page, string role)
    {
        await SetInstructorsMayManageUsersAsync(false);
        using var client = await fixture.ClientForAsync(role);
        var response = await client.GetAsync(fixture.UrlOf(page));
        var access = Matrix[page];
        var allowed = Allowed(access, role, instructorsMayManageUsers: false);
        if (allowed)
            Assert.True(response.StatusCode is HttpStatusCode.OK || (page == "/Account/Invitation" && response.StatusCode == HttpStatusCode.Gone)
                || (page == "/Errors/Status" && response.StatusCode == HttpStatusCode.OK)
                || (role == "anonymous" && page == "/Account/SignOut" && response.StatusCode == HttpStatusCode.Redirect)
                || (role != "anonymous" && page == "/Account/SignIn" && response.StatusCode == HttpStatusCode.Redirect),
                $"{role} GET {page}: expected success, got {(int)response.StatusCode}");
        else if (role == "anonymous")
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/Account/SignIn", response.Headers.Location!.PathAndQuery());
        }
        else
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(PagePaths))]
    public async Task Every_post_handler_refuses_roles_without_access(string page)
    {
        await SetInstructorsMayManageUsersAsync(false);
        var access = Matrix[page];
        foreach (var handler in PortalPages.All.Single(p => p.Path == page).PostHandlers)
        {
            foreach (var role in new[] { "anonymous", Roles.Learner, Roles.Instructor })
            {
                if (Allowed(access, role, instructorsMayManageUsers: false))
                    continue;
                using var client = await fixture.ClientForAsync(role);
                // A valid anti-forgery token for this client, so only authorization can refuse the post.
                var (_, home) = await client.GetPageAsync(role == "anonymous" ? "/Account/SignIn" : "/Account/ChangePassword");
                var token = home.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
                var url = fixture.UrlOf(page) + (handler.Length == 0 ? "" : $"?handler={handler}");
                var response = await client.PostRawAsync(url, [new("__RequestVerificationToken", token), new("id", Guid.NewGuid().ToString())]);
                if (role == "anonymous")
                    Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"anonymous POST {url}: {(int)response.StatusCode}");
                else
                    Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{role} POST {url}: {(int)response.StatusCode}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(PagePaths))]
    public async Task Every_post_handler_requires_the_antiforgery_token(string page)
    {
        if (page == "/Errors/Status")
            return; // Renders re-executed error responses only; it changes nothing.
        using var admin = await fixture.ClientForAsync(Roles.Admin);
        foreach (var handler in PortalPages.All.Single(p => p.Path == page).PostHandlers)
        {
            var url = fixture.UrlOf(page) + (handler.Length == 0 ? "" : $"?handler={handler}");
            var response = await admin.PostRawAsync(url, [new("id", Guid.NewGuid().ToString())]);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"POST {url} without token: {(int)response.StatusCode}");
        }
        using var anonymous = fixture.Host.CreateClient();
        var signIn = await anonymous.PostRawAsync("/Account/SignIn", [new("Email", PortalHost.AdminEmail), new("Password", PortalHost.AdminPassword)]);
        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task Health_endpoints_stay_anonymous(string path)
    {
        using var anonymous = fixture.Host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Instructors_manage_learners_only_when_the_setting_allows()
    {
        await SetInstructorsMayManageUsersAsync(false);
        using var instructor = await fixture.ClientForAsync(Roles.Instructor);
        Assert.Equal(HttpStatusCode.Forbidden, (await instructor.GetAsync("/Dashboard/Users/Manage/Create")).StatusCode);

        await SetInstructorsMayManageUsersAsync(true);
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await instructor.GetAsync("/Dashboard/Users/Manage/Create")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await instructor.GetAsync($"/Dashboard/Users/Manage/Edit/{fixture.Learner.Id}")).StatusCode);
            // Never an admin or another instructor, whatever the setting.
            var admin = await fixture.Host.Get<Identity.UserStore>().FindByEmailAsync(PortalHost.AdminEmail);
            Assert.Equal(HttpStatusCode.Forbidden, (await instructor.GetAsync($"/Dashboard/Users/Manage/Edit/{admin!.Id}")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await instructor.GetAsync($"/Dashboard/Users/Manage/Edit/{fixture.Instructor.Id}")).StatusCode);
            // Creating an admin through a crafted post is refused.
            var email = $"sneaky-{Guid.NewGuid():N}@genie.test";
            var response = await instructor.PostFormAsync("/Dashboard/Users/Manage/Create", new { Email = email, DisplayName = "Sneaky", Role = Roles.Admin });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode); // the form again, with an error
            Assert.Null(await fixture.Host.Get<Identity.UserStore>().FindByEmailAsync(email));
            // Admin pages stay closed.
            Assert.Equal(HttpStatusCode.Forbidden, (await instructor.GetAsync("/Admin/Settings")).StatusCode);
        }
        finally
        {
            await SetInstructorsMayManageUsersAsync(false);
        }
    }

    private static bool Allowed(Access access, string role, bool instructorsMayManageUsers) => access switch
    {
        Access.Anonymous => true,
        Access.SignedIn => role != "anonymous",
        Access.Staff => role is Roles.Admin or Roles.Instructor,
        Access.ManageUsers => role == Roles.Admin || (role == Roles.Instructor && instructorsMayManageUsers),
        Access.Admin => role == Roles.Admin,
        _ => false,
    };

    private Task SetInstructorsMayManageUsersAsync(bool value) =>
        fixture.Host.Get<PortalSettings>().SetInstructorsMayManageUsersAsync(value, Guid.Empty);
}
