using Genie.AppHost.Hosting;

namespace Genie.AppHost.LocalState;

public static class LocalStateExtensions
{
    /// <summary>The JWT signing key all services share; generated once and kept in <c>.genie/</c>.</summary>
    public static ResourceBuilder<SigningKeyResource> AddSigningKey(this DistributedApplicationBuilder builder, string name) =>
        builder.AddResource(new SigningKeyResource(name));

    /// <summary>The portal's first administrator; from configuration or generated once and shown on that run.</summary>
    public static ResourceBuilder<AdminSignInResource> AddAdminSignIn(this DistributedApplicationBuilder builder, string name) =>
        builder.AddResource(new AdminSignInResource(name));
}
