using Npgsql;
using Xunit;

namespace Genie.Testing;

/// <summary>
/// A fresh database (with pgvector) in the shared test cluster, one per test class:
/// <c>public class MyTests(PostgresDatabase database) : IClassFixture&lt;PostgresDatabase&gt;</c>.
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    private NpgsqlDataSource? dataSource;

    public string ConnectionString { get; private set; } = "";

    public NpgsqlDataSource DataSource =>
        dataSource ?? throw new InvalidOperationException("the database is created in InitializeAsync");

    public async Task InitializeAsync()
    {
        var cluster = await PostgresCluster.GetSharedAsync();
        ConnectionString = await cluster.CreateDatabaseAsync();
        dataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (dataSource is not null)
            await dataSource.DisposeAsync();
    }
}
