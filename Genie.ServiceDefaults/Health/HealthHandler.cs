using Genie.ServiceDefaults.Grpc.Server;
using Grpc.Health.V1;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using static Grpc.Health.V1.HealthCheckResponse.Types;

namespace Genie.ServiceDefaults.Health;

/// <summary>
/// <c>grpc.health.v1.Health</c>, bridged to the app's "ready" health checks. "" is the whole server;
/// each served proto service answers by its full name; anything else is unknown.
/// </summary>
[AllowAnonymousCall]
public sealed class HealthHandler(ReadinessProbe readiness, IEnumerable<GrpcServiceRegistration> registrations)
{
    private static readonly TimeSpan WatchInterval = TimeSpan.FromSeconds(1);

    public async Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context)
    {
        if (!IsKnown(request.Service))
            throw new Grpc.RpcException(Grpc.StatusCode.NotFound, $"Unknown service '{request.Service}'.");
        return new HealthCheckResponse { Status = await CurrentAsync(context.CancellationToken) };
    }

    public async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responses, ServerCallContext context)
    {
        ServingStatus? last = null;
        var ct = context.CancellationToken;
        while (!ct.IsCancellationRequested)
        {
            var status = IsKnown(request.Service) ? await CurrentAsync(ct) : ServingStatus.ServiceUnknown;
            if (status != last)
            {
                await responses.WriteAsync(new HealthCheckResponse { Status = status });
                last = status;
            }
            try
            {
                await Task.Delay(WatchInterval, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private bool IsKnown(string service) =>
        service.Length == 0 || registrations.Any(r => r.Service.FullName == service);

    private async Task<ServingStatus> CurrentAsync(CancellationToken ct) =>
        await readiness.IsReadyAsync(ct) ? ServingStatus.Serving : ServingStatus.NotServing;
}
