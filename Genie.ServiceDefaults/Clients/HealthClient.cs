using Genie.ServiceDefaults.Grpc.Client;
using Grpc.Health.V1;

namespace Genie.ServiceDefaults.Clients;

/// <summary><c>grpc.health.v1.Health</c> on any service.</summary>
public sealed class HealthClient(GrpcChannel channel) : GrpcClientBase(channel, HealthReflection.Descriptor.Services[0])
{
    public Task<HealthCheckResponse> CheckAsync(HealthCheckRequest request, CallOptions? options = null) =>
        UnaryAsync<HealthCheckRequest, HealthCheckResponse>("Check", request, options, idempotent: true);

    public IAsyncEnumerable<HealthCheckResponse> Watch(HealthCheckRequest request, CallOptions? options = null) =>
        ServerStreamingAsync<HealthCheckRequest, HealthCheckResponse>("Watch", request, options);
}
