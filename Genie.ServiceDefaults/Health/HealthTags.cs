namespace Genie.ServiceDefaults.Health;

/// <summary>
/// The tags that sort health checks: "live" checks answer <c>/alive</c>; "ready" checks (database
/// reachable and migrated) also decide <c>/health</c> and grpc.health.v1.
/// </summary>
public static class HealthTags
{
    public const string Live = "live";
    public const string Ready = "ready";
}
