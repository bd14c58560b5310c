using Dapper;
using Genie.ServiceDefaults.Database;
using Genie.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Genie.ServiceDefaults.Tests.Database;

public class MigrationRunnerTests
{
    private const string GoodScripts = "Genie.ServiceDefaults.Tests.Database.TestMigrations.Good.";
    private const string FailingScripts = "Genie.ServiceDefaults.Tests.Database.TestMigrations.Failing.";

    private static MigrationRunner Runner(NpgsqlDataSource dataSource, string schema, string prefix = GoodScripts) =>
        new(dataSource, schema, typeof(MigrationRunnerTests).Assembly, NullLogger.Instance, prefix);

    private static async Task<string> NewDatabaseAsync() =>
        await (await PostgresCluster.GetSharedAsync()).CreateDatabaseAsync("migrations");

    [Fact]
    public void Scripts_are_discovered_in_version_order_under_their_prefix()
    {
        using var dataSource = NpgsqlDataSource.Create("Host=unused");

        Assert.Equal(["0001_create_notes", "0002_log_once", "0003_add_one_function"],
            Runner(dataSource, "notes").Scripts.Select(s => s.Name));
        Assert.Equal(["0001_create_greetings"],
            new MigrationRunner(dataSource, "svc", typeof(MigrationRunnerTests).Assembly, NullLogger.Instance).Scripts.Select(s => s.Name));
    }

    [Fact]
    public async Task Applies_every_script_into_its_schema_and_records_it()
    {
        await using var dataSource = NpgsqlDataSource.Create(await NewDatabaseAsync());
        var runner = Runner(dataSource, "notes");

        var applied = await runner.ApplyAsync();

        Assert.Equal([1, 2, 3], applied);
        Assert.Equal(3, runner.CurrentVersion);
        Assert.Equal(3, await runner.GetCurrentVersionAsync());
        await using var connection = await dataSource.OpenConnectionAsync();
        var recorded = (await connection.QueryAsync<(int Version, string Name)>(
            "SELECT version, name FROM notes.schema_migrations ORDER BY version")).ToList();
        Assert.Equal([(1, "0001_create_notes"), (2, "0002_log_once"), (3, "0003_add_one_function")], recorded);
        await connection.ExecuteAsync("INSERT INTO notes.notes (body, embedding) VALUES ('a', '[1,0,0]')");
        Assert.Equal(42, await connection.ExecuteScalarAsync<int>("SELECT notes.add_one(41)"));
        Assert.Null(await connection.ExecuteScalarAsync<string?>("SELECT to_regclass('public.notes')::text"));
    }

    [Fact]
    public async Task A_second_run_applies_nothing()
    {
        await using var dataSource = NpgsqlDataSource.Create(await NewDatabaseAsync());
        await Runner(dataSource, "notes").ApplyAsync();

        var again = Runner(dataSource, "notes");
        var applied = await again.ApplyAsync();

        Assert.Empty(applied);
        Assert.Equal(3, again.CurrentVersion);
        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM notes.run_log"));
    }

    [Fact]
    public async Task Concurrent_runners_apply_each_script_exactly_once()
    {
        var connectionString = await NewDatabaseAsync();
        var dataSources = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(connectionString)).ToList();
        try
        {
            var results = await Task.WhenAll(dataSources.Select(ds => Task.Run(() => Runner(ds, "notes").ApplyAsync())));

            Assert.Equal([1, 2, 3], results.SelectMany(r => r).Order());
            await using var connection = await dataSources[0].OpenConnectionAsync();
            Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM notes.run_log"));
            Assert.Equal(3, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM notes.schema_migrations"));
        }
        finally
        {
            foreach (var dataSource in dataSources)
                await dataSource.DisposeAsync();
        }
    }

    [Fact]
    public async Task Services_starting_together_on_a_database_without_pgvector_create_it_once()
    {
        var connectionString = await NewDatabaseAsync();
        await using (var setup = new NpgsqlConnection(connectionString))
            await setup.ExecuteAsync("DROP EXTENSION vector");
        var dataSources = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(connectionString)).ToList();
        try
        {
            var schemas = new[] { "alpha", "beta", "gamma", "delta" };
            var results = await Task.WhenAll(schemas.Select((schema, i) => Task.Run(() => Runner(dataSources[i], schema).ApplyAsync())));

            Assert.All(results, applied => Assert.Equal([1, 2, 3], applied));
            await using var connection = await dataSources[0].OpenConnectionAsync();
            Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM pg_extension WHERE extname = 'vector'"));
        }
        finally
        {
            foreach (var dataSource in dataSources)
                await dataSource.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_failing_script_is_rolled_back_and_named_in_the_error()
    {
        await using var dataSource = NpgsqlDataSource.Create(await NewDatabaseAsync());
        var runner = Runner(dataSource, "shop", FailingScripts);

        var error = await Assert.ThrowsAsync<MigrationFailedException>(() => runner.ApplyAsync());

        Assert.Equal("0002_broken", error.Script);
        Assert.Contains("0002_broken", error.Message);
        Assert.Contains("table_that_does_not_exist", error.Message);
        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal([1], await connection.QueryAsync<int>("SELECT version FROM shop.schema_migrations"));
        Assert.NotNull(await connection.ExecuteScalarAsync<string?>("SELECT to_regclass('shop.items')::text"));
        Assert.Null(await connection.ExecuteScalarAsync<string?>("SELECT to_regclass('shop.half_done')::text"));
        Assert.Equal(1, await runner.GetCurrentVersionAsync());
    }

    [Fact]
    public void Schema_names_must_be_plain_identifiers()
    {
        using var dataSource = NpgsqlDataSource.Create("Host=unused");

        var error = Assert.Throws<ArgumentException>(() => Runner(dataSource, "bad\"; DROP"));

        Assert.Contains("lower-case identifier", error.Message);
    }
}
