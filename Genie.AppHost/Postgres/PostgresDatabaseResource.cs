using Genie.AppHost.Hosting;
using Npgsql;

namespace Genie.AppHost.Postgres;

/// <summary>
/// A database on the PostgreSQL server, created when missing, with the extensions the services need.
/// Referencing it gives a project <c>ConnectionStrings__&lt;name&gt;</c>.
/// </summary>
public sealed class PostgresDatabaseResource(string name, PostgresServerResource server) : Resource(name), IReferenceable
{
    private ResourceState _state = ResourceState.NotStarted;

    public PostgresServerResource Server { get; } = server;

    public string DatabaseName => Name;

    internal List<string> Extensions { get; } = [];

    /// <summary>Set once provisioned: what the services receive.</summary>
    public string? ConnectionString { get; private set; }

    internal override async Task StartAsync(AppRun run, CancellationToken cancellationToken)
    {
        _state = ResourceState.Starting;
        try
        {
            if (Server.IsEmbedded)
                await CreateDatabaseIfMissingAsync(cancellationToken);
            await using (var connection = await OpenAsync(Server.ConnectionStringFor(DatabaseName), cancellationToken))
                foreach (var extension in Extensions)
                    await CreateExtensionAsync(connection, extension, cancellationToken);
            ConnectionString = Server.ServiceConnectionStringFor(DatabaseName);
            _state = ResourceState.Running;
            MarkReady();
        }
        catch
        {
            _state = ResourceState.Failed;
            throw;
        }
    }

    internal override Task StopAsync()
    {
        if (_state == ResourceState.Running)
            _state = ResourceState.Stopped; // goes with its server, which stops after every project
        return Task.CompletedTask;
    }

    public async Task AddEnvironmentAsync(IDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        await Ready.WaitAsync(cancellationToken);
        environment[$"ConnectionStrings__{Name}"] = ConnectionString!;
    }

    internal override IEnumerable<ResourceSnapshot> Snapshot()
    {
        yield return new ResourceSnapshot(Name, "database", _state, [],
            _state == ResourceState.Running ? true : null, Detail: Extensions.Count > 0 ? "with " + string.Join(", ", Extensions) : null);
    }

    private async Task CreateDatabaseIfMissingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(Server.AdminConnectionString, cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", DatabaseName);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{DatabaseName.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            await connection.DisposeAsync();
            var where = Server.IsEmbedded
                ? $"the local cluster ({Server.Endpoint})"
                : $"{Server.Endpoint}, given by ConnectionStrings__{Name} or {PostgresServerResource.ExternalVariable}";
            throw new AppHostException($"Cannot connect to PostgreSQL at {where}: {e.Message}", e);
        }
    }

    private async Task CreateExtensionAsync(NpgsqlConnection connection, string extension, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new NpgsqlCommand($"CREATE EXTENSION IF NOT EXISTS \"{extension}\"", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedFile || e.SqlState == PostgresErrorCodes.FeatureNotSupported)
        {
            throw new AppHostException(ExtensionAdvice.Missing(extension, Server.IsEmbedded, Server.Endpoint), e);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new AppHostException(
                $"The PostgreSQL user may not create the {extension} extension in database {DatabaseName}: run CREATE EXTENSION {extension} there once as a superuser.", e);
        }
    }
}
