using Genie.Testing.Hosts;
using Genie.Web.Identity;
using Microsoft.AspNetCore.Identity;

namespace Genie.Reliability.Tests.Portal;

/// <summary>Signed-in portal sessions: the configured admin, or a new person of a role with a password set.</summary>
public static class PortalPeople
{
    public const string Password = "a long reliability password 17";

    public static async Task<PortalSession> AdminAsync(WebTestHost web)
    {
        var session = new PortalSession(web.HttpAddress, WebTestHost.AdminEmail, WebTestHost.AdminPassword);
        await session.SignInAsync();
        return session;
    }

    public static async Task<(Guid Id, PortalSession Session)> NewAsync(WebTestHost web, string role)
    {
        var email = $"{role}-{Guid.NewGuid():N}@genie.test";
        var id = await web.CreateUserAsync(role, email);
        var hasher = web.Get<IPasswordHasher<PortalUser>>();
        await web.Get<UserStore>().SetPasswordAsync(id, hasher.HashPassword(new PortalUser(), Password));
        var session = new PortalSession(web.HttpAddress, email, Password);
        await session.SignInAsync();
        return (id, session);
    }
}
