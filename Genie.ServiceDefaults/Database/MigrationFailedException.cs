namespace Genie.ServiceDefaults.Database;

/// <summary>A migration script failed; its transaction was rolled back, so nothing of it remains.</summary>
public sealed class MigrationFailedException(string schema, string script, Exception inner)
    : Exception($"Migration {script} of schema \"{schema}\" failed and was rolled back: {inner.Message}", inner)
{
    public string Schema { get; } = schema;
    public string Script { get; } = script;
}
