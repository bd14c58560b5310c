using Genie.Testing.Hosts;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Genie.Web.Tests.Infrastructure;

/// <summary>
/// The real portal (<see cref="WebTestHost"/>: PortalApp.Build, as Program.cs runs it) on loopback ports, over a
/// fresh database of the shared test PostgreSQL cluster, with the page-level helpers of these tests. One per test class.
/// </summary>
public sealed class PortalHost : IAsyncDisposable
{
    public const string AdminEmail = WebTestHost.AdminEmail;
    public const string AdminPassword = WebTestHost.AdminPassword;

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

    public static async Task<PortalHost> StartAsync(IDictionary<string, string?>? settings = null, Microsoft.Extensions.Logging.ILoggerProvider? logs = null)
    {
        var web = await WebTestHost.StartAsync(settings, logs);
        return new PortalHost(web.App, web.HttpAddress, web.ConnectionString);
    }

    public PortalBrowser CreateClient() => new(BaseAddress);

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
