namespace Genie.AppHost.Postgres;

/// <summary>
/// A PostgreSQL server of our own, run by DCP as an executable: the cluster is kept under
/// <c>.genie/postgres</c> (created with initdb on the first start), listens on loopback only, and
/// runs as the <c>postgres</c> OS user when the AppHost runs as root (PostgreSQL refuses root).
/// Connections come through DCP's proxy on the <c>tcp</c> endpoint.
/// </summary>
public sealed class LocalPostgresResource(string name, string command, string dataDirectory, PostgresBinaries binaries)
    : ExecutableResource(name, command, dataDirectory), IResourceWithConnectionString
{
    public const string Superuser = "postgres";
    public const string EndpointName = "tcp";

    public string DataDirectory { get; } = dataDirectory;

    internal PostgresBinaries Binaries { get; } = binaries;

    /// <summary>The OS user that runs the server and its tools, or null to run them as ourselves.</summary>
    internal string? RunAs { get; } = Environment.IsPrivilegedProcess ? "postgres" : null;

    public EndpointReference Endpoint => new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={Endpoint.Property(EndpointProperty.IPV4Host)};Port={Endpoint.Property(EndpointProperty.Port)};Username={Superuser}");
}
