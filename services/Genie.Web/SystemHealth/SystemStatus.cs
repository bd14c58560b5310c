using System.Diagnostics;
using System.Security.Claims;
using Genie.Contracts.Common.V1;
using Genie.Contracts.Agent.V1;
using Genie.Contracts.Lms.V1;
using Genie.Contracts.Retrieval.V1;
using Grpc.Core;
using Genie.ServiceDefaults.Hosting;
using Genie.Web.Backends;
using Grpc.Health.V1;

namespace Genie.Web.SystemHealth;

public sealed record ServiceStatus(
    string Name,
    string Title,
    string Purpose,
    string State,
    string Detail,
    IReadOnlyList<string> Endpoints,
    ServiceInfo? Info,
    long? LatencyMs);

/// <summary>Each service's gRPC health check and version, asked in parallel with a short deadline.</summary>
public sealed class SystemStatus(BackendClients backends, UserCalls calls, ServiceInfoProvider self)
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);

    public async Task<IReadOnlyList<ServiceStatus>> CheckAllAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        var portal = new ServiceStatus("web", "Portal", "this web application", "serving", "", [], await self.GetAsync(ct), 0);
        var others = await Task.WhenAll(BackendServices.All.Select(s => CheckAsync(s.Name, s.Title, s.Purpose, user, ct)));
        return [portal, .. others];
    }

    private async Task<ServiceStatus> CheckAsync(string name, string title, string purpose, ClaimsPrincipal user, CancellationToken ct)
    {
        var endpoints = backends.Endpoints(name);
        if (endpoints.Count == 0)
            return new ServiceStatus(name, title, purpose, "not configured", $"services__{name}__grpc__0 is not set", [], null, null);
        var watch = Stopwatch.StartNew();
        try
        {
            var health = await backends.Health(name).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow + Deadline, cancellationToken: ct);
            var latency = watch.ElapsedMilliseconds;
            if (health.Status != HealthCheckResponse.Types.ServingStatus.Serving)
                return new ServiceStatus(name, title, purpose, "not serving", health.Status.ToString(), endpoints, null, latency);
            try
            {
                var info = await InfoAsync(name, calls.For(user, ct, Deadline));
                return new ServiceStatus(name, title, purpose, "serving", "", endpoints, info, latency);
            }
            catch (RpcException ex)
            {
                return new ServiceStatus(name, title, purpose, "serving", $"version unavailable ({ex.StatusCode}: {ex.Status.Detail})", endpoints, null, latency);
            }
        }
        catch (RpcException ex)
        {
            return new ServiceStatus(name, title, purpose, "unreachable", $"{ex.StatusCode}: {ex.Status.Detail}", endpoints, null, null);
        }
    }

    private async Task<ServiceInfo> InfoAsync(string name, CallOptions options) => name switch
    {
        BackendServices.Retrieval => await backends.Retrieval.GetServiceInfoAsync(new GetServiceInfoRequest(), options),
        BackendServices.Agent => await backends.Agent.GetServiceInfoAsync(new GetServiceInfoRequest(), options),
        _ => await backends.Lms.GetServiceInfoAsync(new GetServiceInfoRequest(), options),
    };
}
