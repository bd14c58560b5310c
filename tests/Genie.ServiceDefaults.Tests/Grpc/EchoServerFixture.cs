using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Genie.ServiceDefaults.Health;
using Genie.ServiceDefaults.Rpc;
using Genie.Testing;
using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using EchoClient = Genie.Test.V1.EchoService.EchoServiceClient;

namespace Genie.ServiceDefaults.Tests.Grpc;

/// <summary>
/// The echo service hosted with the real ServiceDefaults composition (two Kestrel endpoints,
/// JwtBearer) on loopback, and a client built by <c>AddServiceClient</c> that finds it through
/// service discovery as <c>services__echo__grpc__0</c>.
/// </summary>
public sealed class EchoServerFixture : IAsyncLifetime
{
    /// <summary>The request limit the echo service is given, so the size tests stay small.</summary>
    public const int MaxReceiveMessageSize = 1024 * 1024;

    private ServiceProvider _clients = null!;

    public ServiceTestHost Host { get; private set; } = null!;

    public EchoClient Client { get; private set; } = null!;

    public EchoObservations Observations => Host.Services.GetRequiredService<EchoObservations>();

    public static Task<ServiceTestHost> StartEchoServerAsync(string? signingKey = null) =>
        ServiceTestHost.StartAsync("echo", builder =>
        {
            builder.Services.AddSingleton<EchoObservations>();
            builder.Services.AddGrpcService<EchoService>(MaxReceiveMessageSize);
            // Stands in for the services' database readiness check; tests switch it off.
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration("echo-ready",
                sp => new DelegateHealthCheck(() => sp.GetRequiredService<EchoObservations>().Ready ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("switched off")),
                HealthStatus.Unhealthy, [HealthTags.Ready]));
        }, signingKey is null ? null : new Dictionary<string, string?> { [AuthOptions.SigningKeyKey] = signingKey });

    /// <summary>A client container as a service builds it: <c>AddServiceClient</c> over the given endpoints.</summary>
    public static ServiceProvider ClientsFor(params Uri[] echoEndpoints)
    {
        var settings = echoEndpoints.Select((uri, i) => KeyValuePair.Create($"services:echo:grpc:{i}", (string?)uri.ToString().TrimEnd('/')));
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddServiceClient<EchoClient>("echo");
        return services.BuildServiceProvider();
    }

    public async Task InitializeAsync()
    {
        Host = await StartEchoServerAsync();
        _clients = ClientsFor(Host.GrpcAddress);
        Client = _clients.GetRequiredService<EchoClient>();
    }

    public async Task DisposeAsync()
    {
        await _clients.DisposeAsync();
        await Host.DisposeAsync();
    }

    public CallOptions As(string role, TimeSpan? timeout = null, CancellationToken ct = default, string userId = "user-1") =>
        BearerToken.Options(Host.IssueToken(role, userId), timeout ?? TimeSpan.FromSeconds(30), ct);
}

internal sealed class DelegateHealthCheck(Func<HealthCheckResult> check) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(check());
}
