namespace Genie.AppHost.Postgres;

/// <summary>
/// The services' database, with the pgvector extension: on the <see cref="LocalPostgresResource"/>
/// (created when missing), or on an existing server given by <c>ConnectionStrings__&lt;name&gt;</c> or
/// <c>GENIE_POSTGRES</c>. Referencing it gives a project <c>ConnectionStrings__&lt;name&gt;</c>.
/// </summary>
public sealed class PostgresDatabaseResource : Resource, IResourceWithConnectionString, IResourceWithWaitSupport
{
    private readonly string? _existingConnectionString;

    private PostgresDatabaseResource(string name, LocalPostgresResource? server, string? existingConnectionString) : base(name)
    {
        Server = server;
        _existingConnectionString = existingConnectionString;
    }

    public static PostgresDatabaseResource OnLocalServer(string name, LocalPostgresResource server) => new(name, server, null);

    public static PostgresDatabaseResource OnExistingServer(string name, string connectionString) => new(name, null, connectionString);

    /// <summary>The local server, or null when an existing server is used.</summary>
    public LocalPostgresResource? Server { get; }

    public string DatabaseName => Name;

    /// <summary>
    /// Each service process may hold this many connections to the local cluster: its 100 connection slots then cover
    /// every service and a second agent replica, so a burst past capacity is refused with 429 / RESOURCE_EXHAUSTED
    /// by the services' limits instead of failing on "too many clients" (Npgsql's default pool is 100 per process).
    /// </summary>
    public const int LocalPoolSize = 15;

    public ReferenceExpression ConnectionStringExpression => Server is null
        ? ReferenceExpression.Create($"{_existingConnectionString!}")
        : ReferenceExpression.Create($"{Server.ConnectionStringExpression};Database={DatabaseName};Maximum Pool Size={LocalPoolSize.ToString(System.Globalization.CultureInfo.InvariantCulture)}");

    /// <summary>Where the server is, for messages (never with a password).</summary>
    internal string Describe(string connectionString)
    {
        var parsed = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        return Server is null
            ? $"{parsed.Host}:{parsed.Port} (existing server), given by ConnectionStrings__{Name} or {PostgresExtensions.ExistingServerVariable}"
            : $"the local cluster ({parsed.Host}:{parsed.Port})";
    }
}
