using Genie.AppHost.Setup;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Genie.AppHost.Postgres;

/// <summary>Creates the database (on the local cluster) and the extensions the services need; checks used by the health checks.</summary>
internal static class DatabaseSetup
{
    private const string Extension = "vector";

    public static async Task EnsureAsync(PostgresDatabaseResource database, ILogger logger, CancellationToken cancellationToken)
    {
        var connectionString = (await database.ConnectionStringExpression.GetValueAsync(cancellationToken))!;
        if (database.Server is not null)
        {
            var admin = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres" }.ConnectionString;
            await using var connection = await OpenAsync(database, admin, cancellationToken);
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
            exists.Parameters.AddWithValue("name", database.DatabaseName);
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                logger.LogInformation("Creating database {Database}", database.DatabaseName);
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.DatabaseName.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        await using (var connection = await OpenAsync(database, connectionString, cancellationToken))
            await CreateExtensionAsync(database, connection, cancellationToken);
        logger.LogInformation("Database {Database} is ready, with the {Extension} extension", database.DatabaseName, Extension);
    }

    public static async Task<bool> AnswersAsync(string connectionString, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(WithoutPooling(connectionString));
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            return await command.ExecuteScalarAsync(cancellationToken) is 1;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return false;
        }
    }

    public static async Task<bool> HasExtensionAsync(string connectionString, string extension, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(WithoutPooling(connectionString));
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1 FROM pg_extension WHERE extname = @name", connection);
            command.Parameters.AddWithValue("name", extension);
            return await command.ExecuteScalarAsync(cancellationToken) is 1;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return false;
        }
    }

    private static string WithoutPooling(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 5 }.ConnectionString;

    private static async Task<NpgsqlConnection> OpenAsync(PostgresDatabaseResource database, string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            await connection.DisposeAsync();
            throw new SetupException($"Cannot connect to PostgreSQL at {database.Describe(connectionString)}: {e.Message}", e);
        }
    }

    private static async Task CreateExtensionAsync(PostgresDatabaseResource database, NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new NpgsqlCommand($"CREATE EXTENSION IF NOT EXISTS {Extension}", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedFile || e.SqlState == PostgresErrorCodes.FeatureNotSupported)
        {
            throw new SetupException(ExtensionAdvice.Missing(Extension, database.Server is not null, $"{connection.Host}:{connection.Port}"), e);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new SetupException(
                $"The PostgreSQL user may not create the {Extension} extension in database {database.DatabaseName}: run CREATE EXTENSION {Extension} there once as a superuser.", e);
        }
    }
}
