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

    [Fact]
    public async Task Starting_the_host_applies_the_migrations_and_reports_the_database_ready()
    {
        var cluster = await PostgresCluster.GetSharedAsync();
        using var host = BuildHost(await cluster.CreateDatabaseAsync("host"));

        await host.StartAsync();
        try
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
        }
        finally
        {
            await host.StopAsync();
        }
    }

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
