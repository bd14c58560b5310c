using System.Net;
using Dapper;
using Genie.ServiceDefaults.Auth;
using Genie.Web.Identity;
using Genie.Web.Tests.Infrastructure;

namespace Genie.Web.Tests;

public sealed class IdentityTests(IdentityTests.Fixture fixture) : IClassFixture<IdentityTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public PortalHost Host { get; private set; } = null!;

        public async Task InitializeAsync() => Host = await PortalHost.StartAsync(new Dictionary<string, string?>
        {
            ["Genie:Identity:MaxFailedAttempts"] = "3",
        });

        public async Task DisposeAsync() => await Host.DisposeAsync();
    }

    private PortalHost Host => fixture.Host;

    [Fact]
    public async Task The_first_admin_comes_from_configuration_and_can_sign_in()
    {
        var admin = await Host.Get<UserStore>().FindByEmailAsync(PortalHost.AdminEmail);
        Assert.NotNull(admin);
        Assert.Equal(Roles.Admin, admin.Role);
        Assert.NotEqual(PortalHost.AdminPassword, admin.PasswordHash);
        using var client = await Host.SignedInAdminAsync();
        var (response, page) = await client.GetPageAsync("/Admin/Settings");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Ada Admin", page.QuerySelector(".user-name")!.TextContent);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_one_message_for_unknown_and_known_emails()
    {
        var user = await Host.CreateAsync(Roles.Learner);
        using var client = Host.CreateClient();
        var wrong = await client.SignInAsync(user.Email, "not the password at all");
        var unknown = await client.SignInAsync("nobody@genie.test", "not the password at all");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        var wrongText = PortalBrowser.Parse(await wrong.Content.ReadAsStringAsync()).QuerySelector("[data-test=sign-in-error]")!.TextContent;
        var unknownText = PortalBrowser.Parse(await unknown.Content.ReadAsStringAsync()).QuerySelector("[data-test=sign-in-error]")!.TextContent;
        Assert.Equal(wrongText, unknownText);
        Assert.Null(CookieNamed(client, "genie.auth"));
    }

    [Fact]
    public async Task The_account_locks_after_the_configured_number_of_wrong_passwords()
    {
        var user = await Host.CreateAsync(Roles.Learner);
        using var client = Host.CreateClient();
        for (var i = 0; i < 2; i++)
            Assert.DoesNotContain("locked", await ErrorAfterSignInAsync(client, user.Email, "wrong password " + i));
        Assert.Contains("locked", await ErrorAfterSignInAsync(client, user.Email, "wrong password 3"));

        // Even the right password is refused while locked.
        Assert.Contains("locked", await ErrorAfterSignInAsync(client, user.Email, user.Password));
        var stored = await Host.Get<UserStore>().FindByIdAsync(user.Id);
        Assert.True(stored!.LockoutUntil > DateTime.UtcNow);

        // An admin unlocks it; then the right password works.
        using var admin = await Host.SignedInAdminAsync();
        var unlock = await admin.PostFormAsync($"/Dashboard/Users/Manage/Edit/{user.Id}", [], $"/Dashboard/Users/Manage/Edit/{user.Id}?handler=Unlock");
        Assert.Equal(HttpStatusCode.Redirect, unlock.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(user.Email, user.Password)).StatusCode);
    }

    [Fact]
    public async Task A_successful_sign_in_resets_the_failure_count()
    {
        var user = await Host.CreateAsync(Roles.Learner);
        using var client = Host.CreateClient();
        await ErrorAfterSignInAsync(client, user.Email, "wrong one");
        await ErrorAfterSignInAsync(client, user.Email, "wrong two");
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(user.Email, user.Password)).StatusCode);
        using var other = Host.CreateClient();
        await ErrorAfterSignInAsync(other, user.Email, "wrong three");
        Assert.Equal(HttpStatusCode.Redirect, (await other.SignInAsync(user.Email, user.Password)).StatusCode);
    }

    [Fact]
    public async Task A_deactivated_user_cannot_sign_in_and_loses_their_session()
    {
        var user = await Host.CreateAsync(Roles.Learner);
        using var session = await Host.SignedInClientAsync(user);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/")).StatusCode);

        using var admin = await Host.SignedInAdminAsync();
        var edit = $"/Dashboard/Users/Manage/Edit/{user.Id}";
        var response = await admin.PostFormAsync(edit, new { DisplayName = "Test learner", Role = Roles.Learner, Active = "false" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.False((await Host.Get<UserStore>().FindByIdAsync(user.Id))!.Active);

        var after = await session.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/Account/SignIn", after.Headers.Location!.PathAndQuery());

        using var fresh = Host.CreateClient();
        Assert.Contains("deactivated", await ErrorAfterSignInAsync(fresh, user.Email, user.Password));
    }

    [Fact]
    public async Task An_invitation_sets_the_first_password_once()
    {
        var user = await Host.CreateAsync(Roles.Learner, withPassword: false);
        var path = new Uri(user.InvitationLink).PathAndQuery;
        using var client = Host.CreateClient();
        const string password = "my very first password";
        var accepted = await client.PostFormAsync(path, new { Password = password, ConfirmPassword = password });
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode); // signed in

        using var second = Host.CreateClient();
        var (again, page) = await second.GetPageAsync(path);
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.NotNull(page.QuerySelector("[data-test=invitation-used]"));
        // Posting to a used link changes nothing.
        var replay = await second.PostFormAsync("/Account/SignIn", new { Token = Token(path), Password = "an attacker's password", ConfirmPassword = "an attacker's password" }, path);
        Assert.Equal(HttpStatusCode.Gone, replay.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.SignInAsync(user.Email, "an attacker's password")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await second.SignInAsync(user.Email, password)).StatusCode);
    }

    [Fact]
    public async Task An_expired_invitation_is_refused()
    {
        var user = await Host.CreateAsync(Roles.Learner, withPassword: false);
        await using (var db = await Host.OpenDatabaseAsync())
            await db.ExecuteAsync("UPDATE portal.invitations SET expires_at = now() - interval '1 minute' WHERE user_id = @id", new { id = user.Id });
        var path = new Uri(user.InvitationLink).PathAndQuery;
        using var client = Host.CreateClient();
        var (response, page) = await client.GetPageAsync(path);
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.NotNull(page.QuerySelector("[data-test=invitation-expired]"));
        var post = await client.PostFormAsync("/Account/SignIn", new { Token = Token(path), Password = "some fine password", ConfirmPassword = "some fine password" }, path);
        Assert.Equal(HttpStatusCode.Gone, post.StatusCode);
        Assert.False((await Host.Get<UserStore>().FindByIdAsync(user.Id))!.HasPassword);
    }

    [Fact]
    public async Task A_new_invitation_replaces_the_previous_link()
    {
        var user = await Host.CreateAsync(Roles.Learner, withPassword: false);
        var renewed = await Host.Get<UserAdministration>().ReinviteAsync(Audit.AuditActor.System, "Test", user.Id, Host.BaseAddress.ToString());
        using var client = Host.CreateClient();
        Assert.Equal(HttpStatusCode.Gone, (await client.GetAsync(new Uri(user.InvitationLink).PathAndQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(renewed!.InvitationLink).PathAndQuery)).StatusCode);
    }

    [Fact]
    public async Task A_weak_password_is_refused_on_the_invitation_page()
    {
        var user = await Host.CreateAsync(Roles.Learner, withPassword: false);
        using var client = Host.CreateClient();
        var response = await client.PostFormAsync(new Uri(user.InvitationLink).PathAndQuery, new { Password = "short", ConfirmPassword = "short" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("at least", await response.Content.ReadAsStringAsync());
        Assert.False((await Host.Get<UserStore>().FindByIdAsync(user.Id))!.HasPassword);
    }

    [Fact]
    public async Task Changing_the_password_ends_other_sessions()
    {
        var user = await Host.CreateAsync(Roles.Learner);
        using var laptop = await Host.SignedInClientAsync(user);
        using var phone = await Host.SignedInClientAsync(user);
        const string newPassword = "a brand new password 7";
        var changed = await laptop.PostFormAsync("/Account/ChangePassword", new { CurrentPassword = user.Password, NewPassword = newPassword, ConfirmPassword = newPassword });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await phone.GetAsync("/")).StatusCode);
        using var fresh = Host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await fresh.SignInAsync(user.Email, user.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await fresh.SignInAsync(user.Email, newPassword)).StatusCode);
    }

    [Fact]
    public async Task Sign_out_ends_the_session()
    {
        var user = await Host.CreateAsync(Roles.Learner);
        using var client = await Host.SignedInClientAsync(user);
        var signOut = await client.PostFormAsync("/", [], "/Account/SignOut");
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Role_changes_take_effect_at_once()
    {
        var user = await Host.CreateAsync(Roles.Learner);
        using var session = await Host.SignedInClientAsync(user);
        Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync("/Dashboard")).StatusCode);
        var before = await Host.Get<UserStore>().FindByIdAsync(user.Id);
        await Host.Get<UserAdministration>().UpdateAsync(Audit.AuditActor.System, before!, new UserChange(before!.DisplayName, Roles.Instructor, true));
        // The old cookie (role learner) no longer counts; signing in again gives the new role.
        Assert.Equal(HttpStatusCode.Redirect, (await session.GetAsync("/Dashboard")).StatusCode);
        using var again = await Host.SignedInClientAsync(user);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/Dashboard")).StatusCode);
    }

    private static async Task<string> ErrorAfterSignInAsync(PortalBrowser client, string email, string password)
    {
        var response = await client.SignInAsync(email, password);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        return PortalBrowser.Parse(await response.Content.ReadAsStringAsync()).QuerySelector("[data-test=sign-in-error]")!.TextContent;
    }

    private static string Token(string invitationPath) => Uri.UnescapeDataString(invitationPath[(invitationPath.IndexOf("token=", StringComparison.Ordinal) + 6)..]);

    private static Cookie? CookieNamed(PortalBrowser client, string name) =>
        client.Cookies.GetAllCookies().FirstOrDefault(c => c.Name == name);
}
