using Dapper;
using Genie.ServiceDefaults.Database;
using Genie.ServiceDefaults.Hosting;
using Genie.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Pgvector;

namespace Genie.ServiceDefaults.Tests.Database;

public class AddGenieDatabaseTests
{
    private static IHost BuildHost(string? connectionString)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        if (connectionString is not null)
            builder.Configuration.AddInMemoryCollection([new("ConnectionStrings:genie", connectionString)]);
        builder.AddGenieDatabase("svc", typeof(AddGenieDatabaseTests).Assembly);
        return builder.Build();
    }

    /// <summary>Runs <paramref name="test"/> against a started host over a new database.</summary>
    private static async Task WithStartedHostAsync(string database, Func<IHost, Task> test)
    {
        var cluster = await PostgresCluster.GetSharedAsync();
        using var host = BuildHost(await cluster.CreateDatabaseAsync(database));
        await host.StartAsync();
        try
        {
            await test(host);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public Task Starting_the_host_applies_the_migrations_and_reports_the_database_ready() =>
        WithStartedHostAsync("host", async host =>
        {
            var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
            await using var connection = await dataSource.OpenConnectionAsync();
            Assert.Equal("hello", await connection.ExecuteScalarAsync<string>("SELECT text FROM svc.greetings"));
            Assert.Equal(1, host.Services.GetRequiredService<MigrationRunner>().CurrentVersion);
            Assert.Equal("svc", host.Services.GetRequiredService<MigrationRunner>().Schema);
            var info = await new ServiceInfoProvider(ServiceIdentity.For("svc", typeof(AddGenieDatabaseTests).Assembly), host.Services)
                .GetAsync(CancellationToken.None);
            Assert.Equal(1, info.SchemaVersion);

            var report = await host.Services.GetRequiredService<HealthCheckService>()
                .CheckHealthAsync(c => c.Tags.Contains("ready"));
            Assert.Equal(HealthStatus.Healthy, report.Entries[DatabaseExtensions.HealthCheckName].Status);
        });

    [Fact]
    public Task Vector_parameters_are_written_and_read_through_pgvectors_type_mapping() =>
        WithStartedHostAsync("typed_vector", async host =>
        {
            var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
            await using var connection = await dataSource.OpenConnectionAsync();
            await connection.ExecuteAsync("CREATE TABLE items (name text PRIMARY KEY, embedding vector(3) NOT NULL)");
            foreach (var (name, values) in new[] { ("east", new[] { 1f, 0f, 0f }), ("north", new[] { 0f, 1f, 0f }) })
            {
                await using var insert = new NpgsqlCommand("INSERT INTO items VALUES ($1, $2)", connection);
                insert.Parameters.Add(new NpgsqlParameter { Value = name });
                insert.Parameters.Add(new NpgsqlParameter { Value = new Vector(values) });
                await insert.ExecuteNonQueryAsync();
            }

            await using var nearest = new NpgsqlCommand("SELECT name, embedding FROM items ORDER BY embedding <=> $1 LIMIT 1", connection);
            nearest.Parameters.Add(new NpgsqlParameter { Value = new Vector(new[] { 0.9f, 0.1f, 0f }) });
            await using var reader = await nearest.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal("east", reader.GetString(0));
            Assert.Equal([1f, 0f, 0f], reader.GetFieldValue<Vector>(1).ToArray());
        });

    [Fact]
    public async Task A_missing_connection_string_stops_startup_naming_the_variable()
    {
        using var host = BuildHost(connectionString: null);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("ConnectionStrings:genie", error.Message);
    }

    [Fact]
    public async Task The_health_check_is_unhealthy_when_the_database_does_not_answer()
    {
        using var host = BuildHost($"Host=127.0.0.1;Port={FreePort.Next()};Username=postgres;Timeout=2");

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Unhealthy, report.Entries[DatabaseExtensions.HealthCheckName].Status);
    }
}
