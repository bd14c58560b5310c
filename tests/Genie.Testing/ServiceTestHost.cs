using Genie.ServiceDefaults;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Limits;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Genie.Testing;

/// <summary>
/// A service hosted in the test process on real loopback ports, composed like a service's Program.cs:
/// AddServiceDefaults + whatever <c>configure</c> adds, then MapDefaultEndpoints.
/// </summary>
public sealed class ServiceTestHost : IAsyncDisposable
{
    private ServiceTestHost(WebApplication app, Uri grpc, Uri http, string signingKey)
    {
        App = app;
        GrpcAddress = grpc;
        HttpAddress = http;
        SigningKey = signingKey;
        Tokens = app.Services.GetRequiredService<TokenService>();
    }

    public WebApplication App { get; }

    public Uri GrpcAddress { get; }

    public Uri HttpAddress { get; }

    public string SigningKey { get; }

    public TokenService Tokens { get; }

    public IServiceProvider Services => App.Services;

    public static Task<ServiceTestHost> StartAsync(
        string serviceName,
        Action<WebApplicationBuilder>? configure = null,
        IDictionary<string, string?>? settings = null,
        Action<WebApplication>? map = null) =>
        FreePort.BindAsync(() => TryStartAsync(serviceName, configure, settings, map));

    private static async Task<ServiceTestHost> TryStartAsync(
        string serviceName,
        Action<WebApplicationBuilder>? configure,
        IDictionary<string, string?>? settings,
        Action<WebApplication>? map)
    {
        var grpcPort = FreePort.Next();
        var httpPort = FreePort.Next();
        var signingKey = settings?.TryGetValue(AuthOptions.SigningKeyKey, out var k) == true && k is not null ? k : AuthOptions.GenerateKey();
        var config = TestSettings.Merge(new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:grpc:Url"] = $"http://127.0.0.1:{grpcPort}",
            ["Kestrel:Endpoints:grpc:Protocols"] = "Http2",
            ["Kestrel:Endpoints:http:Url"] = $"http://127.0.0.1:{httpPort}",
            ["Kestrel:Endpoints:http:Protocols"] = "Http1",
            ["Logging:LogLevel:Default"] = "Warning",
        }, settings, new Dictionary<string, string?> { [AuthOptions.SigningKeyKey] = signingKey });
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(config);
        builder.AddServiceDefaults(serviceName);
        configure?.Invoke(builder);
        var app = builder.Build();
        app.UseGenieLimits();
        app.MapDefaultEndpoints();
        map?.Invoke(app);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        // settings may name the endpoints (e.g. a service restarted on its old address)
        return new ServiceTestHost(app, new Uri(config["Kestrel:Endpoints:grpc:Url"]!), new Uri(config["Kestrel:Endpoints:http:Url"]!), signingKey);
    }

    /// <summary>A channel to this host's gRPC endpoint.</summary>
    public GrpcChannel CreateChannel(GrpcChannelOptions? options = null) => GrpcChannel.ForAddress(GrpcAddress, options ?? new GrpcChannelOptions());

    public string IssueToken(string role, string userId = "user-1", TimeSpan? lifetime = null) =>
        Tokens.Issue(userId, $"{userId}@example.test", userId, role, lifetime);

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
