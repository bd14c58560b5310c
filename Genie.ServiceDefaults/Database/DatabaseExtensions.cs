using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Pgvector.Npgsql;

namespace Genie.ServiceDefaults.Database;

public static class DatabaseExtensions
{
    public const string ConnectionStringName = "genie";

    /// <summary>Aspire.Npgsql's name for its health check.</summary>
    public const string HealthCheckName = "PostgreSql";

    /// <summary>
    /// The service's database through Aspire.Npgsql: a singleton <see cref="NpgsqlDataSource"/> from
    /// <c>ConnectionStrings:genie</c> with pgvector's type mapping (<c>vector</c> parameters from
    /// <see cref="Pgvector.Vector"/>), Npgsql's traces and metrics, its health check tagged "ready", and the
    /// migrations of <paramref name="schema"/> embedded in <paramref name="migrationsAssembly"/>, applied at
    /// startup before the service serves.
    /// </summary>
    public static IHostApplicationBuilder AddGenieDatabase(this IHostApplicationBuilder builder, string schema, Assembly migrationsAssembly)
    {
        var services = builder.Services;
        builder.AddNpgsqlDataSource(ConnectionStringName, configureDataSourceBuilder: dataSource =>
        {
            dataSource.UseVector();
            // Runs when the data source is first resolved, so tunings registered after this call count too.
            foreach (var tuning in services.Where(s => s.ServiceType == typeof(DataSourceTuning)).Select(s => s.ImplementationInstance).OfType<DataSourceTuning>())
                tuning.Apply(dataSource);
        });
        services.Configure<HealthCheckServiceOptions>(options =>
        {
            foreach (var check in options.Registrations.Where(r => r.Name == HealthCheckName))
            {
                check.Tags.Add(Health.HealthTags.Ready);
                // A server that does not answer must make the service unready, not hang the probe.
                if (check.Timeout == Timeout.InfiniteTimeSpan) check.Timeout = TimeSpan.FromSeconds(3);
            }
        });
        services.AddSingleton(sp => new MigrationRunner(
            sp.GetRequiredService<NpgsqlDataSource>(), schema, migrationsAssembly,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<MigrationRunner>()));
        services.AddHostedService<MigrationHostedService>();
        return builder;
    }
}
