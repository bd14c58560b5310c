using Genie.Web.Audit;
using Genie.Web.Identity;
using Microsoft.AspNetCore.Identity;

namespace Genie.Web.Tests.Infrastructure;

public sealed record TestUser(Guid Id, string Email, string Password, string InvitationLink);

/// <summary>Creates users the way the portal does (UserAdministration), optionally with a password already set.</summary>
public static class PortalUsers
{
    public static async Task<TestUser> CreateAsync(this PortalHost host, string role, string? email = null, string? name = null, bool withPassword = true)
    {
        email ??= $"{role}-{Guid.NewGuid():N}@genie.test";
        var created = await host.Get<UserAdministration>().CreateAsync(AuditActor.System, "Test", email, name ?? $"Test {role}", role, host.BaseAddress.ToString())
            ?? throw new InvalidOperationException($"{email} exists");
        const string password = "a long test password 42";
        if (withPassword)
        {
            var hasher = host.Get<IPasswordHasher<PortalUser>>();
            await host.Get<UserStore>().SetPasswordAsync(created.UserId, hasher.HashPassword(new PortalUser(), password));
        }
        return new TestUser(created.UserId, email, password, created.InvitationLink);
    }

    public static async Task<PortalBrowser> SignedInClientAsync(this PortalHost host, TestUser user)
    {
        var client = host.CreateClient();
        var response = await client.SignInAsync(user.Email, user.Password);
        if (response.StatusCode != System.Net.HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in of {user.Email} answered {(int)response.StatusCode}");
        return client;
    }

    public static async Task<PortalBrowser> SignedInAdminAsync(this PortalHost host)
    {
        var client = host.CreateClient();
        var response = await client.SignInAsync(PortalHost.AdminEmail, PortalHost.AdminPassword);
        if (response.StatusCode != System.Net.HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Admin sign-in answered {(int)response.StatusCode}");
        return client;
    }
}
