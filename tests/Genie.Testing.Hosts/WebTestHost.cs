using Genie.ServiceDefaults.Auth;
using Genie.Web;
using Genie.Web.AccessTokens;
using Genie.Web.Audit;
using Genie.Web.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Genie.Testing.Hosts;

/// <summary>
/// The real portal (PortalApp.Build, as Program.cs runs it) on loopback: gRPC (HTTP/2) and HTTP/1.1 endpoints over a
/// fresh database of the shared test PostgreSQL cluster. Pass a Retrieval's or Agent's ClientSettings to wire it up.
/// </summary>
public sealed class WebTestHost : IAsyncDisposable
{
    public const string AdminEmail = "admin@genie.test";
    public const string AdminPassword = "correct horse battery staple";

    private WebTestHost(WebApplication app, Uri grpc, Uri http, string connectionString)
    {
        App = app;
        GrpcAddress = grpc;
        HttpAddress = http;
        ConnectionString = connectionString;
    }

    public WebApplication App { get; }

    /// <summary>The HTTP/2 endpoint serving PortalService.</summary>
    public Uri GrpcAddress { get; }

    /// <summary>The HTTP/1.1 endpoint serving the portal pages and <c>/mcp</c>.</summary>
    public Uri HttpAddress { get; }

    public string ConnectionString { get; }

    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <param name="logs">Also receives every log line the portal writes (to check what reaches logs).</param>
    public static async Task<WebTestHost> StartAsync(IDictionary<string, string?>? settings = null, ILoggerProvider? logs = null)
    {
        var cluster = await PostgresCluster.GetSharedAsync();
        var connectionString = await cluster.CreateDatabaseAsync("web");
        return await FreePort.BindAsync(() => TryStartAsync(connectionString, settings, logs));
    }

    private static async Task<WebTestHost> TryStartAsync(string connectionString, IDictionary<string, string?>? settings, ILoggerProvider? logs)
    {
        var grpc = $"http://127.0.0.1:{FreePort.Next()}";
        var http = $"http://127.0.0.1:{FreePort.Next()}";
        var config = TestSettings.Merge(new Dictionary<string, string?>
        {
            ["ConnectionStrings:genie"] = connectionString,
            ["Kestrel:Endpoints:grpc:Url"] = grpc,
            ["Kestrel:Endpoints:grpc:Protocols"] = "Http2",
            ["Kestrel:Endpoints:http:Url"] = http,
            ["Kestrel:Endpoints:http:Protocols"] = "Http1",
            [AuthOptions.SigningKeyKey] = AuthOptions.GenerateKey(),
            ["Genie:Admin:Email"] = AdminEmail,
            ["Genie:Admin:Password"] = AdminPassword,
            ["Genie:Admin:Name"] = "Ada Admin",
            ["Logging:LogLevel:Default"] = "Warning",
        }, settings);

        var app = PortalApp.Build(
            new WebApplicationOptions { ApplicationName = "Genie.Web", ContentRootPath = Path.Combine(RepoPaths.Root, "services", "Genie.Web"), EnvironmentName = "Testing" },
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(config);
                if (logs is not null)
                    builder.Logging.AddProvider(logs);
            });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new WebTestHost(app, new Uri(grpc), new Uri(http), connectionString);
    }

    /// <summary>A portal user created as an admin would (no password: tools sign in with a personal access token).</summary>
    public async Task<Guid> CreateUserAsync(string role, string email)
    {
        var created = await Get<UserAdministration>().CreateAsync(AuditActor.System, "Test", email, $"Test {role}", role, HttpAddress.ToString())
            ?? throw new InvalidOperationException($"{email} exists");
        return created.UserId;
    }

    /// <summary>A new personal access token of <paramref name="userId"/>: its id and the secret shown once.</summary>
    public async Task<(Guid Id, string Secret)> CreateAccessTokenAsync(Guid userId, string name = "cli")
    {
        var (token, secret) = (await Get<PersonalAccessTokens>().CreateAsync(userId, name))
            ?? throw new InvalidOperationException("the user has too many tokens");
        return (token.Id, secret);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
