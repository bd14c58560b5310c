using Genie.ServiceDefaults.Auth;
using Genie.Testing;
using Genie.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Genie.Web.Tests.Infrastructure;

/// <summary>
/// The real portal (PortalApp.Build, as Program.cs runs it) on loopback ports, over a fresh
/// database of the shared test PostgreSQL cluster. One per test class.
/// </summary>
public sealed class PortalHost : IAsyncDisposable
{
    public const string AdminEmail = "admin@genie.test";
    public const string AdminPassword = "correct horse battery staple";

    private PortalHost(WebApplication app, Uri baseAddress, string connectionString)
    {
        App = app;
        BaseAddress = baseAddress;
        ConnectionString = connectionString;
    }

    public WebApplication App { get; }

    /// <summary>The HTTP/1.1 endpoint serving the portal.</summary>
    public Uri BaseAddress { get; }

    public string ConnectionString { get; }

    public IServiceProvider Services => App.Services;

    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public static async Task<PortalHost> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var cluster = await PostgresCluster.GetSharedAsync();
        var connectionString = await cluster.CreateDatabaseAsync("web");
        var httpPort = FreePort.Next();
        var grpcPort = FreePort.Next();
        var config = TestSettings.Merge(new Dictionary<string, string?>
        {
            ["ConnectionStrings:genie"] = connectionString,
            ["Kestrel:Endpoints:grpc:Url"] = $"http://127.0.0.1:{grpcPort}",
            ["Kestrel:Endpoints:grpc:Protocols"] = "Http2",
            ["Kestrel:Endpoints:http:Url"] = $"http://127.0.0.1:{httpPort}",
            ["Kestrel:Endpoints:http:Protocols"] = "Http1",
            [AuthOptions.SigningKeyKey] = AuthOptions.GenerateKey(),
            ["Genie:Admin:Email"] = AdminEmail,
            ["Genie:Admin:Password"] = AdminPassword,
            ["Genie:Admin:Name"] = "Ada Admin",
            ["Logging:LogLevel:Default"] = "Warning",
        }, settings);

        var app = PortalApp.Build(
            new WebApplicationOptions { ApplicationName = "Genie.Web", ContentRootPath = Path.Combine(RepoPaths.Root, "services", "Genie.Web"), EnvironmentName = "Testing" },
            builder => builder.Configuration.AddInMemoryCollection(config));
        await app.StartAsync();
        return new PortalHost(app, new Uri($"http://127.0.0.1:{httpPort}"), connectionString);
    }

    public PortalClient CreateClient() => new(BaseAddress);

    public async Task<NpgsqlConnection> OpenDatabaseAsync()
    {
        var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        return conn;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
