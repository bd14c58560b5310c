using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Genie.AppHost.LocalState;

public static class PortalBanner
{
    /// <summary>
    /// Once the portal is healthy, prints its URL and how the first admin signs in; the password only
    /// on the run that generated it.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithPortalBanner(this IResourceBuilder<ProjectResource> portal, EndpointReference endpoint, FirstAdmin admin) =>
        portal.OnResourceReady(async (_, e, cancellationToken) =>
        {
            var url = endpoint.Url;
            var email = await admin.Email.Resource.GetValueAsync(cancellationToken);
            var signIn = admin.PasswordGeneratedNow
                ? $"{email}  password: {await admin.Password.Resource.GetValueAsync(cancellationToken)}  (generated on this first run and shown only now; kept in {admin.StoredIn})"
                : File.Exists(admin.StoredIn)
                    ? $"{email}  (password shown on the first run; kept in {admin.StoredIn})"
                    : $"{email}  (password from {SecretParameters.AdminPasswordKey})";
            Console.WriteLine($"Portal:  {url}");
            Console.WriteLine($"Sign in: {signIn}");
            e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(portal.Resource).LogInformation("Portal ready at {Url}", url);
        });

}
