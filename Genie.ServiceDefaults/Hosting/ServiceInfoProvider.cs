using Genie.Contracts.Common.V1;
using Genie.ServiceDefaults.Database;
using Google.Protobuf.WellKnownTypes;

namespace Genie.ServiceDefaults.Hosting;

/// <summary>Answers the GetServiceInfo rpc every service exposes.</summary>
public sealed class ServiceInfoProvider(ServiceIdentity identity, IServiceProvider services)
{
    public Task<ServiceInfo> GetAsync(CancellationToken ct) => Task.FromResult(new ServiceInfo
    {
        Service = identity.Name,
        Version = identity.Version,
        Instance = identity.Instance,
        StartedAt = Timestamp.FromDateTimeOffset(identity.StartedAt),
        // The version this instance migrated its schema to at startup; 0 for a service without a database.
        SchemaVersion = (services.GetService(typeof(MigrationRunner)) as MigrationRunner)?.CurrentVersion ?? 0,
    });
}
