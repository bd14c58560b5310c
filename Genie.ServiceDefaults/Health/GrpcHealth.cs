using Grpc.AspNetCore.HealthChecks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Genie.ServiceDefaults.Health;

/// <summary>
/// grpc.health.v1 (Check and Watch) from Grpc.AspNetCore.HealthChecks, fed by the same checks as
/// <c>/health</c> (the process is live, the database reachable and migrated): "" is the whole server,
/// each served proto service answers by its full name, anything else is NOT_FOUND. The live check is
/// included so a service without a database still reports SERVING rather than an empty, unknown status.
/// </summary>
internal static class GrpcHealth
{
    /// <summary>How often Watch re-runs the checks (the publisher's period); Check always runs them.</summary>
    private static readonly TimeSpan WatchPeriod = TimeSpan.FromSeconds(1);

    public static void AddGrpcHealth(this IServiceCollection services)
    {
        services.AddGrpcHealthChecks(options =>
        {
            options.Services.Map("", IsServing);
            options.UseHealthChecksCache = false;
        });
        services.Configure<HealthCheckPublisherOptions>(o =>
        {
            o.Delay = TimeSpan.Zero;
            o.Period = WatchPeriod;
            o.Predicate = IsServingCheck;
        });
    }

    public static void AddGrpcHealthFor(this IServiceCollection services, string serviceName) =>
        services.Configure<GrpcHealthChecksOptions>(o => o.Services.Map(serviceName, IsServing));

    public static void MapGrpcHealth(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGrpcHealthChecksService().AllowAnonymous();

    private static bool IsServing(HealthCheckMapContext context) => context.Tags.Contains(HealthTags.Ready) || context.Tags.Contains(HealthTags.Live);

    private static bool IsServingCheck(HealthCheckRegistration check) => check.Tags.Contains(HealthTags.Ready) || check.Tags.Contains(HealthTags.Live);
}
