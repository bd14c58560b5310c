namespace Genie.ServiceDefaults.Database;

/// <summary>The one PostgreSQL schema this service owns (registered by AddGenieDatabase).</summary>
public sealed record DatabaseSchema(string Name);
