using Genie.AppHost.Hosting;
using Genie.AppHost.Projects;
using Npgsql;

namespace Genie.AppHost.Postgres;

/// <summary>
/// The PostgreSQL server: an existing one when <c>ConnectionStrings__&lt;database&gt;</c> or
/// <c>GENIE_POSTGRES</c> is set, otherwise an embedded cluster under <c>.genie/postgres</c>.
/// </summary>
public sealed class PostgresServerResource(string name) : Resource(name)
{
    public const string ExternalVariable = "GENIE_POSTGRES";
    private EmbeddedPostgres? _embedded;
    private ResourceState _state = ResourceState.NotStarted;

    internal List<PostgresDatabaseResource> Databases { get; } = [];

    /// <summary>The server's connection string as given, when an existing server is used.</summary>
    internal string? ExternalConnectionString { get; private set; }

    internal string? Endpoint { get; private set; }

    internal override async Task StartAsync(AppRun run, CancellationToken cancellationToken)
    {
        _state = ResourceState.Starting;
        try
        {
            ExternalConnectionString = Databases.Select(d => run.Configuration[$"ConnectionStrings:{d.DatabaseName}"]).FirstOrDefault(c => !string.IsNullOrWhiteSpace(c))
                ?? NullIfBlank(run.Configuration[ExternalVariable]);
            if (ExternalConnectionString is not null)
            {
                var parsed = new NpgsqlConnectionStringBuilder(ExternalConnectionString);
                Endpoint = $"{parsed.Host}:{parsed.Port} (existing server)";
            }
            else
            {
                run.Console.Info($"{Name}: starting the local cluster in {Path.Combine(run.StateDirectory, "postgres")}");
                var binaries = PostgresBinaries.Locate(run.Configuration[PostgresBinaries.ConfigurationKey]);
                _embedded = new EmbeddedPostgres(binaries, Path.Combine(run.StateDirectory, "postgres"), Path.Combine(run.LogsDirectory, "postgres.log"));
                await _embedded.StartAsync(cancellationToken);
                Endpoint = $"127.0.0.1:{_embedded.Port}";
            }
            _state = ResourceState.Running;
            MarkReady();
        }
        catch
        {
            _state = ResourceState.Failed;
            throw;
        }
    }

    /// <summary>How to reach <paramref name="database"/> on this server, for the AppHost itself (superuser on the embedded cluster).</summary>
    internal string ConnectionStringFor(string database) => ExternalConnectionString
        ?? new NpgsqlConnectionStringBuilder(_embedded!.AdminConnectionString) { Database = database }.ConnectionString;

    /// <summary>What the services receive: no AppHost-only settings.</summary>
    internal string ServiceConnectionStringFor(string database) => ExternalConnectionString
        ?? $"Host=127.0.0.1;Port={_embedded!.Port};Database={database};Username={EmbeddedPostgres.Superuser}";

    internal bool IsEmbedded => _embedded is not null;

    internal string AdminConnectionString => _embedded?.AdminConnectionString ?? ExternalConnectionString!;

    internal override async Task StopAsync()
    {
        if (_embedded is null)
            return;
        _state = ResourceState.Stopping;
        await _embedded.StopAsync();
        _state = ResourceState.Stopped;
    }

    internal override IEnumerable<ResourceSnapshot> Snapshot()
    {
        var pid = _embedded?.Running == true ? _embedded.ProcessId : null;
        yield return new ResourceSnapshot(Name, "postgres", _state, Endpoint is null ? [] : [Endpoint],
            _state == ResourceState.Running ? true : null, 0, pid, pid is { } p ? ProcessTree.ResidentBytes(p) : null);
    }

    /// <summary>The postmaster's process id while the embedded cluster runs (tests check it is gone after shutdown).</summary>
    public int? EmbeddedProcessId => _embedded?.ProcessId;

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
