using Dapper;
using Npgsql;

namespace Genie.Web.Settings;

/// <summary>Portal-wide switches admins change at run time, kept in <c>portal.settings</c>.</summary>
public sealed class PortalSettings(NpgsqlDataSource db)
{
    public const string InstructorsMayManageUsersKey = "instructors_may_manage_users";

    public async Task<bool> InstructorsMayManageUsersAsync(CancellationToken ct = default) =>
        await GetAsync(InstructorsMayManageUsersKey, ct) == "true";

    public Task SetInstructorsMayManageUsersAsync(bool value, Guid actorId, CancellationToken ct = default) =>
        SetAsync(InstructorsMayManageUsersKey, value ? "true" : "false", actorId, ct);

    private async Task<string?> GetAsync(string key, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT value FROM portal.settings WHERE key = @key", new { key }, cancellationToken: ct));
    }

    private async Task SetAsync(string key, string value, Guid actorId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO portal.settings (key, value, updated_at, updated_by) VALUES (@key, @value, now(), @actorId)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by
            """, new { key, value, actorId }, cancellationToken: ct));
    }
}
