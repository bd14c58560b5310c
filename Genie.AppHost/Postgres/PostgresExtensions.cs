using Genie.AppHost.LocalState;
using Genie.AppHost.Setup;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Genie.AppHost.Postgres;

public static class PostgresExtensions
{
    public const string ExistingServerVariable = "GENIE_POSTGRES";
    public const string LocalServerName = "postgres";

    /// <summary>
    /// The database <paramref name="name"/> with pgvector: on an existing server when
    /// <c>ConnectionStrings__&lt;name&gt;</c> or <c>GENIE_POSTGRES</c> is set, else on a local cluster
    /// under <c>.genie/postgres</c> (resource "postgres"). It is healthy once the database and the
    /// extension exist; a missing PostgreSQL or pgvector stops the AppHost with one line.
    /// </summary>
    public static IResourceBuilder<PostgresDatabaseResource> AddPostgresDatabase(this IDistributedApplicationBuilder builder, string name)
    {
        var existing = builder.Configuration.GetConnectionString(name) is { Length: > 0 } configured
            ? configured
            : builder.Configuration[ExistingServerVariable] is { Length: > 0 } fromVariable ? fromVariable : null;

        if (existing is not null)
        {
            return builder.AddResource(PostgresDatabaseResource.OnExistingServer(name, existing))
                .WithInitialState(new CustomResourceSnapshot
                {
                    ResourceType = "PostgreSQL database",
                    State = KnownResourceStates.NotStarted,
                    Properties = [new("server", "existing")],
                })
                .WithIconName("Database")
                .WithDatabaseHealthCheck()
                .OnInitializeResource(async (database, e, cancellationToken) =>
                {
                    await e.Notifications.PublishUpdateAsync(database, s => s with { State = KnownResourceStates.Starting });
                    await ProvisionAsync(database, e.Services, e.Logger, cancellationToken);
                });
        }

        var server = builder.AddLocalPostgres(LocalServerName);
        var databaseBuilder = builder.AddResource(PostgresDatabaseResource.OnLocalServer(name, server.Resource))
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgreSQL database",
                State = KnownResourceStates.Waiting,
                Properties = [new("server", LocalServerName)],
            })
            .WithParentRelationship(server)
            .WithIconName("Database")
            .WithDatabaseHealthCheck();
        // Made once its server accepts connections.
        server.OnResourceReady(async (_, e, cancellationToken) =>
        {
            var database = databaseBuilder.Resource;
            await e.Services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(database, s => s with { State = KnownResourceStates.Starting });
            await ProvisionAsync(database, e.Services, e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(database), cancellationToken);
        });
        return databaseBuilder;
    }

    private static IResourceBuilder<LocalPostgresResource> AddLocalPostgres(this IDistributedApplicationBuilder builder, string name)
    {
        var dataDirectory = Path.Combine(LocalStateDirectory.Resolve(builder.Configuration), "postgres");
        var binaries = PostgresBinaries.Locate(builder.Configuration[PostgresBinaries.ConfigurationKey], out var problem);
        var runAsRoot = Environment.IsPrivilegedProcess;
        // As root, setpriv execs postgres as the postgres OS user: one process, so DCP's signals reach the server itself.
        var resource = new LocalPostgresResource(name, runAsRoot ? "setpriv" : binaries.Postgres, dataDirectory, binaries);
        var server = builder.AddResource(resource)
            .WithArgs(runAsRoot ? ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", binaries.Postgres] : [])
            .WithArgs("-D", dataDirectory)
            // Room for the HNSW index of a large knowledge base (about 200 MB per 100k chunks of 384 dimensions): with
            // PostgreSQL's default 128 MB, vector searches at 100k chunks copied index pages in from the OS cache and
            // took half as long again. As the Kubernetes cluster (deploy/kubernetes/base/postgres.yaml).
            .WithArgs("-c", "shared_buffers=512MB")
            .WithEndpoint(name: LocalPostgresResource.EndpointName, scheme: "tcp", env: "PGPORT")
            .WithEnvironment("LC_MESSAGES", "C")
            .WithIconName("DatabaseStack")
            .OnBeforeResourceStarted(async (server, e, cancellationToken) =>
            {
                if (problem is not null)
                {
                    e.Services.GetRequiredService<SetupFailures>().Report(e.Services, problem);
                    return;
                }
                var logger = e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
                try
                {
                    await LocalCluster.PrepareAsync(server, logger, cancellationToken);
                }
                catch (SetupException failure)
                {
                    e.Services.GetRequiredService<SetupFailures>().Report(e.Services, failure.Message);
                }
            });

        var healthCheck = $"{name}-accepts-connections";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, async cancellationToken =>
        {
            var connectionString = await resource.ConnectionStringExpression.GetValueAsync(cancellationToken);
            return await DatabaseSetup.AnswersAsync(connectionString + ";Database=postgres", cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("PostgreSQL does not accept connections yet");
        });
        return server.WithHealthCheck(healthCheck);
    }

    private static IResourceBuilder<PostgresDatabaseResource> WithDatabaseHealthCheck(this IResourceBuilder<PostgresDatabaseResource> database)
    {
        var key = $"{database.Resource.Name}-has-pgvector";
        database.ApplicationBuilder.Services.AddHealthChecks().AddAsyncCheck(key, async cancellationToken =>
        {
            var connectionString = await database.Resource.ConnectionStringExpression.GetValueAsync(cancellationToken);
            return await DatabaseSetup.HasExtensionAsync(connectionString!, "vector", cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("the database or its vector extension is not there yet");
        });
        return database.WithHealthCheck(key);
    }

    private static async Task ProvisionAsync(PostgresDatabaseResource database, IServiceProvider services, Microsoft.Extensions.Logging.ILogger logger, CancellationToken cancellationToken)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        try
        {
            await DatabaseSetup.EnsureAsync(database, logger, cancellationToken);
            await notifications.PublishUpdateAsync(database, s => s with { State = KnownResourceStates.Running, StartTimeStamp = DateTime.UtcNow });
        }
        catch (SetupException failure)
        {
            await notifications.PublishUpdateAsync(database, s => s with { State = KnownResourceStates.FailedToStart });
            services.GetRequiredService<SetupFailures>().Report(services, failure.Message);
        }
    }
}
