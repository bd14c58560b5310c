using Genie.AppHost.Hosting;

namespace Genie.AppHost.Postgres;

public static class PostgresResourceExtensions
{
    /// <summary>PostgreSQL: an existing server from configuration, else an embedded cluster under <c>.genie/</c>.</summary>
    public static ResourceBuilder<PostgresServerResource> AddPostgres(this DistributedApplicationBuilder builder, string name) =>
        builder.AddResource(new PostgresServerResource(name));

    public static ResourceBuilder<PostgresDatabaseResource> AddDatabase(this ResourceBuilder<PostgresServerResource> server, string name)
    {
        var database = new PostgresDatabaseResource(name, server.Resource);
        server.Resource.Databases.Add(database);
        return server.ApplicationBuilder.AddResource(database).WaitFor(server);
    }

    /// <summary><c>CREATE EXTENSION IF NOT EXISTS vector</c> in the database, failing clearly when pgvector is missing.</summary>
    public static ResourceBuilder<PostgresDatabaseResource> WithPgVector(this ResourceBuilder<PostgresDatabaseResource> database)
    {
        if (!database.Resource.Extensions.Contains("vector"))
            database.Resource.Extensions.Add("vector");
        return database;
    }
}
