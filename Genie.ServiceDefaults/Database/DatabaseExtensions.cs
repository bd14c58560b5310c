using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Genie.ServiceDefaults.Database;

public static class DatabaseExtensions
{
    public const string ConnectionStringName = "genie";
    public const string HealthCheckName = "database";

    /// <summary>
    /// The service's database: a singleton <see cref="NpgsqlDataSource"/> from <c>ConnectionStrings:genie</c>,
    /// a "database" health check tagged "ready", and the migrations of <paramref name="schema"/> embedded in
    /// <paramref name="migrationsAssembly"/>, applied at startup before the service serves.
    /// </summary>
    public static IHostApplicationBuilder AddGenieDatabase(this IHostApplicationBuilder builder, string schema, Assembly migrationsAssembly)
    {
        // Read when first resolved (at host start), so configuration added after this call still counts.
        builder.Services.AddSingleton(sp => CreateDataSource(
            sp.GetRequiredService<IConfiguration>(), sp.GetService<ILoggerFactory>(), sp.GetServices<DataSourceTuning>()));
        builder.Services.AddSingleton(sp => new MigrationRunner(
            sp.GetRequiredService<NpgsqlDataSource>(), schema, migrationsAssembly,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<MigrationRunner>()));
        builder.Services.AddHostedService<MigrationHostedService>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>(HealthCheckName, tags: [Health.ReadinessProbe.ReadyTag]);
        return builder;
    }

    private static NpgsqlDataSource CreateDataSource(IConfiguration configuration, ILoggerFactory? loggerFactory, IEnumerable<DataSourceTuning> tunings)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException(
                $"No database configured: set ConnectionStrings__{ConnectionStringName} (configuration key " +
                $"ConnectionStrings:{ConnectionStringName}) to an Npgsql connection string, e.g. " +
                "Host=localhost;Port=5432;Database=genie;Username=genie;Password=...");
        var dataSource = new NpgsqlDataSourceBuilder(connectionString);
        if (loggerFactory is not null)
            dataSource.UseLoggerFactory(loggerFactory);
        foreach (var tuning in tunings)
            tuning.Apply(dataSource);
        return dataSource.Build();
    }
}
