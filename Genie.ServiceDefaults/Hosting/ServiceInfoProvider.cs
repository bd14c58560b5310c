using Genie.Contracts.Common.V1;
using Google.Protobuf.WellKnownTypes;
using Npgsql;

namespace Genie.ServiceDefaults.Hosting;

/// <summary>Answers the GetServiceInfo rpc every service exposes.</summary>
public sealed class ServiceInfoProvider(ServiceIdentity identity, IServiceProvider services)
{
    public async Task<ServiceInfo> GetAsync(CancellationToken ct)
    {
        return new ServiceInfo
        {
            Service = identity.Name,
            Version = identity.Version,
            Instance = identity.Instance,
            StartedAt = Timestamp.FromDateTimeOffset(identity.StartedAt),
            SchemaVersion = await SchemaVersionAsync(ct),
        };
    }

    private async Task<int> SchemaVersionAsync(CancellationToken ct)
    {
        if (services.GetService(typeof(NpgsqlDataSource)) is not NpgsqlDataSource dataSource ||
            services.GetService(typeof(Database.DatabaseSchema)) is not Database.DatabaseSchema schema)
            return 0;
        await using var command = dataSource.CreateCommand(
            $"SELECT coalesce(max(version), 0) FROM \"{schema.Name}\".schema_migrations");
        return Convert.ToInt32(await command.ExecuteScalarAsync(ct));
    }
}
