using Genie.AppHost.Hosting;
using Genie.AppHost.LocalState;
using Genie.AppHost.Projects;

namespace Genie.AppHost.Dashboard;

/// <summary>What users need once everything is healthy: the portal URL and how the first admin signs in.</summary>
internal sealed record PortalSignIn(Uri Url, string? Email, string? Password, string? PasswordNote)
{
    public static PortalSignIn? From(DistributedApplication app)
    {
        var portal = app.Resources.OfType<ProjectResource>().FirstOrDefault(p => p.IsPortal);
        if (portal is null || portal.Instances.Count == 0)
            return null;
        var admin = app.Resources.OfType<AdminSignInResource>().FirstOrDefault(a => a.Ready.IsCompletedSuccessfully);
        var url = portal.Instances[0].HttpEndpoint;
        if (admin is null)
            return new PortalSignIn(url, null, null, null);
        var stored = Path.Combine(app.StateDirectory, "admin.json");
        return admin switch
        {
            { FromConfiguration: true } => new PortalSignIn(url, admin.Email, null, "password from Genie:Admin:Password"),
            { GeneratedNow: true } => new PortalSignIn(url, admin.Email, admin.Password, $"generated on this first run and shown only now; kept in {stored}"),
            _ => new PortalSignIn(url, admin.Email, null, $"password shown on the first run; kept in {stored}"),
        };
    }

    public IEnumerable<string> Lines()
    {
        yield return $"Portal:  {Url}";
        if (Email is not null)
            yield return Password is null
                ? $"Sign in: {Email}  ({PasswordNote})"
                : $"Sign in: {Email}  password: {Password}  ({PasswordNote})";
    }
}
