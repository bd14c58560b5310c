using Genie.ServiceDefaults.Grpc.Client;
using Genie.ServiceDefaults.Grpc.Server;
using Genie.Test.V1;
using Genie.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Genie.ServiceDefaults.Tests.Grpc;

/// <summary>One echo server on loopback for a test class, with a client channel to it.</summary>
public sealed class EchoServerFixture : IAsyncLifetime
{
    public ServiceTestHost Host { get; private set; } = null!;

    public GrpcChannel Channel { get; private set; } = null!;

    public EchoObservations Observations => Host.Services.GetRequiredService<EchoObservations>();

    public static Task<ServiceTestHost> StartEchoServerAsync(IDictionary<string, string?>? settings = null, string? signingKey = null)
    {
        settings = settings is null ? new Dictionary<string, string?>() : new Dictionary<string, string?>(settings);
        if (signingKey is not null)
            settings[Genie.ServiceDefaults.Auth.AuthOptions.SigningKeyKey] = signingKey;
        return ServiceTestHost.StartAsync("echo", builder =>
        {
            builder.Services.AddSingleton<EchoObservations>();
            builder.Services.AddGrpcService<EchoHandler>(EchoReflection.Descriptor.Services[0]);
        }, settings);
    }

    public async Task InitializeAsync()
    {
        Host = await StartEchoServerAsync();
        Channel = new GrpcChannel([Host.GrpcAddress]);
    }

    public async Task DisposeAsync()
    {
        Channel.Dispose();
        await Host.DisposeAsync();
    }

    public CallOptions As(string role, TimeSpan? timeout = null, CancellationToken ct = default) => new()
    {
        BearerToken = Host.IssueToken(role),
        Deadline = timeout is { } t ? DateTimeOffset.UtcNow + t : DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30),
        CancellationToken = ct,
    };
}
