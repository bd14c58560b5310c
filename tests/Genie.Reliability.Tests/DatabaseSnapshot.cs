using Npgsql;

namespace Genie.Reliability.Tests;

/// <summary>Every table of every application schema with its row count and a digest of all its rows.</summary>
internal static class DatabaseSnapshot
{
    public static async Task<SortedDictionary<string, (long Rows, string Digest)>> TakeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "select quote_ident(schemaname) || '.' || quote_ident(tablename) from pg_tables " +
            "where schemaname not in ('pg_catalog', 'information_schema') order by 1", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                tables.Add(reader.GetString(0));

        var snapshot = new SortedDictionary<string, (long, string)>();
        foreach (var table in tables)
        {
            await using var digest = new NpgsqlCommand(
                $"select count(*), coalesce(md5(string_agg(t::text, '|' order by t::text)), '') from {table} t", connection);
            await using var reader = await digest.ExecuteReaderAsync();
            await reader.ReadAsync();
            snapshot[table] = (reader.GetInt64(0), reader.GetString(1));
        }
        return snapshot;
    }
}
