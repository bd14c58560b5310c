using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Genie.ServiceDefaults.Database;

/// <summary>
/// Applies a service's embedded SQL migrations to its own schema. Each script runs in its own
/// transaction together with its row in <c>&lt;schema&gt;.schema_migrations</c>, under a transaction-level
/// advisory lock keyed on the schema, so replicas starting together apply every script exactly once
/// and a failing script leaves nothing behind. Scripts run with <c>search_path = &lt;schema&gt;, public</c>.
/// </summary>
public sealed partial class MigrationRunner
{
    // First half of every advisory lock key taken here ("GENI"); the second half identifies what is locked.
    private const int LockNamespace = 0x47454E49;
    private const string ExtensionLockName = "extension:vector";

    private readonly NpgsqlDataSource dataSource;
    private readonly string schema;
    private readonly IReadOnlyList<MigrationScript> scripts;
    private readonly ILogger logger;

    public MigrationRunner(NpgsqlDataSource dataSource, string schema, Assembly migrationsAssembly, ILogger logger, string? resourcePrefix = null)
    {
        if (!SchemaName().IsMatch(schema))
            throw new ArgumentException($"schema \"{schema}\" must be a lower-case identifier", nameof(schema));
        this.dataSource = dataSource;
        this.schema = schema;
        this.logger = logger;
        scripts = MigrationScript.FromAssembly(migrationsAssembly, resourcePrefix);
    }

    public string Schema => schema;

    public IReadOnlyList<MigrationScript> Scripts => scripts;

    /// <summary>The highest applied version seen by the last <see cref="ApplyAsync"/> (0 before it runs).</summary>
    public int CurrentVersion { get; private set; }

    /// <summary>Applies the scripts not yet recorded and returns their versions, in order.</summary>
    public async Task<IReadOnlyList<int>> ApplyAsync(CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await EnsureVectorExtensionAsync(connection, ct);
        await EnsureMigrationsTableAsync(connection, ct);

        var applied = new List<int>();
        var known = (await connection.QueryAsync<int>(new CommandDefinition(
            $"SELECT version FROM {schema}.schema_migrations", cancellationToken: ct))).ToHashSet();
        foreach (var script in scripts.Where(s => !known.Contains(s.Version)))
        {
            if (await ApplyScriptAsync(connection, script, ct))
                applied.Add(script.Version);
        }

        CurrentVersion = await GetCurrentVersionAsync(connection, ct);
        if (applied.Count > 0)
            logger.LogInformation("Applied migrations {Versions} to schema {Schema}; now at version {Version}",
                string.Join(", ", applied), schema, CurrentVersion);
        else
            logger.LogInformation("Schema {Schema} is up to date at version {Version}", schema, CurrentVersion);
        return applied;
    }

    /// <summary>The highest version recorded in the database, 0 when none is.</summary>
    public async Task<int> GetCurrentVersionAsync(CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await GetCurrentVersionAsync(connection, ct);
    }

    private async Task<int> GetCurrentVersionAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT to_regclass(@table) IS NOT NULL", new { table = $"{schema}.schema_migrations" }, cancellationToken: ct));
        return exists
            ? await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                $"SELECT coalesce(max(version), 0) FROM {schema}.schema_migrations", cancellationToken: ct))
            : 0;
    }

    private async Task<bool> ApplyScriptAsync(NpgsqlConnection connection, MigrationScript script, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await LockAsync(connection, schema, ct);
        // Another replica may have applied it while we waited for the lock.
        var done = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"SELECT EXISTS (SELECT 1 FROM {schema}.schema_migrations WHERE version = @Version)", script, cancellationToken: ct));
        if (done)
            return false;

        try
        {
            await connection.ExecuteAsync(new CommandDefinition($"SET LOCAL search_path TO {schema}, public", cancellationToken: ct));
            // No command timeout: a script may rebuild an index over every row, minutes on a large database.
            await using (var command = new NpgsqlCommand(script.Sql, connection) { CommandTimeout = 0 })
                await command.ExecuteNonQueryAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO {schema}.schema_migrations (version, name, applied_at) VALUES (@Version, @Name, now())",
                script, cancellationToken: ct));
            await transaction.CommitAsync(ct);
        }
        catch (NpgsqlException ex)
        {
            // Disposing the uncommitted transaction rolls the script back.
            throw new MigrationFailedException(schema, script.Name, ex);
        }
        logger.LogDebug("Applied migration {Script} to schema {Schema}", script.Name, schema);
        return true;
    }

    private async Task EnsureMigrationsTableAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        // CREATE ... IF NOT EXISTS still races between sessions, hence the lock.
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await LockAsync(connection, schema, ct);
        await connection.ExecuteAsync(new CommandDefinition($"""
            CREATE SCHEMA IF NOT EXISTS {schema};
            CREATE TABLE IF NOT EXISTS {schema}.schema_migrations (
                version int PRIMARY KEY,
                name text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            );
            """, cancellationToken: ct));
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// Every service needs pgvector and they all start at once, so creation takes a lock shared by
    /// all schemas. An existing extension is left alone (no privilege needed then).
    /// </summary>
    private static async Task EnsureVectorExtensionAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        const string installed = "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector')";
        if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(installed, cancellationToken: ct)))
            return;

        await using var transaction = await connection.BeginTransactionAsync(ct);
        await LockAsync(connection, ExtensionLockName, ct);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition("CREATE EXTENSION IF NOT EXISTS vector", cancellationToken: ct));
            await transaction.CommitAsync(ct);
            // The data source read the database's types before the extension existed; without this its
            // connections cannot write a vector until the process restarts.
            await connection.ReloadTypesAsync(ct);
        }
        catch (PostgresException ex)
        {
            var message = ex.SqlState == PostgresErrorCodes.UndefinedFile
                ? $"pgvector is not installed in this PostgreSQL server: {ex.MessageText}"
                : $"pgvector could not be enabled in this database: {ex.MessageText}";
            throw new InvalidOperationException(message, ex);
        }
    }

    private static Task LockAsync(NpgsqlConnection connection, string name, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(@ns, hashtext(@name))", new { ns = LockNamespace, name }, cancellationToken: ct));

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex SchemaName();
}
