using Npgsql;

namespace Genie.ServiceDefaults.Database;

/// <summary>
/// A service's own setting of its data source (e.g. auto-prepared statements for a hot path), registered as a
/// singleton instance and applied when <see cref="DatabaseExtensions.AddGenieDatabase"/>'s data source is built.
/// </summary>
public sealed record DataSourceTuning(Action<NpgsqlDataSourceBuilder> Apply);
