using Npgsql;

namespace Genie.ServiceDefaults.Database;

/// <summary>
/// A service's own setting of its data source (e.g. auto-prepared statements for a hot path), registered as a
/// singleton and applied when <see cref="DatabaseExtensions.AddGenieDatabase"/> builds the data source.
/// </summary>
public sealed record DataSourceTuning(Action<NpgsqlDataSourceBuilder> Apply);
