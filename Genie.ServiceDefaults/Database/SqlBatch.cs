using Npgsql;
using NpgsqlTypes;

namespace Genie.ServiceDefaults.Database;

/// <summary>
/// Statements for an <see cref="NpgsqlBatch"/>: the batch goes to PostgreSQL in one round trip and, without an
/// explicit transaction, runs as one implicit transaction (one Sync at the end), so it is all or nothing.
/// </summary>
public static class SqlBatch
{
    public static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    /// <summary>A statement with positional parameters ($1, $2, …), their types inferred from the values.</summary>
    public static NpgsqlBatchCommand Positional(string sql, params object[] values) =>
        Command(sql, values.Select(v => new NpgsqlParameter { Value = v }).ToArray());

    public static NpgsqlParameter Value(string name, object? value) => new(name, value ?? DBNull.Value);

    /// <summary>A parameter with its type stated: a null then still has a type PostgreSQL can check.</summary>
    public static NpgsqlParameter Value(string name, object? value, NpgsqlDbType type) => new(name, type) { Value = value ?? DBNull.Value };
}
