using Dapper;
using Npgsql;

namespace Genie.Web.Bots;

public sealed class BotAssignment
{
    public Guid Id { get; init; }
    public string Bot { get; init; } = "";
    public Guid? UserId { get; init; }
    public string? Role { get; init; }
    public string? UserEmail { get; init; }
    public string? UserDisplayName { get; init; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>Which bots each user may talk to: assigned to them directly or to their role.</summary>
public sealed class BotAssignments(NpgsqlDataSource db)
{
    public async Task<IReadOnlyList<BotAssignment>> ListAsync(CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<BotAssignment>(new CommandDefinition("""
            SELECT a.id, a.bot, a.user_id, a.role, u.email AS user_email, u.display_name AS user_display_name, a.created_at
              FROM portal.bot_assignments a LEFT JOIN portal.users u ON u.id = a.user_id
             ORDER BY a.bot, a.role NULLS LAST, u.email
            """, cancellationToken: ct));
        return rows.ToList();
    }

    public async Task<IReadOnlyList<BotAssignment>> ForUserAsync(Guid userId, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<BotAssignment>(new CommandDefinition("""
            SELECT a.id, a.bot, a.user_id, a.role, a.created_at
              FROM portal.bot_assignments a
             WHERE a.user_id = @userId
            """, new { userId }, cancellationToken: ct));
        return rows.ToList();
    }

    /// <summary>The bots available to a user, in display order.</summary>
    public async Task<IReadOnlyList<Bot>> AvailableToAsync(Guid userId, string role, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var ids = (await conn.QueryAsync<string>(new CommandDefinition(
            "SELECT DISTINCT bot FROM portal.bot_assignments WHERE user_id = @userId OR role = @role",
            new { userId, role }, cancellationToken: ct))).ToHashSet();
        return Bot.All.Where(b => ids.Contains(b.Id)).ToList();
    }

    public async Task<bool> IsAvailableAsync(Guid userId, string role, string bot, CancellationToken ct = default) =>
        (await AvailableToAsync(userId, role, ct)).Any(b => b.Id == bot);

    /// <summary>Assigns a bot to a user or a role (exactly one); returns false when it already was.</summary>
    public static async Task<bool> AssignAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string bot, Guid? userId, string? role, CancellationToken ct)
    {
        var inserted = await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO portal.bot_assignments (id, bot, user_id, role) VALUES (@id, @bot, @userId, @role)
            ON CONFLICT DO NOTHING
            """, new { id = Guid.NewGuid(), bot, userId, role }, tx, cancellationToken: ct));
        return inserted == 1;
    }

    public async Task<bool> AssignAsync(string bot, Guid? userId, string? role, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await AssignAsync(conn, null, bot, userId, role, ct);
    }

    public static Task RemoveAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid id, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("DELETE FROM portal.bot_assignments WHERE id = @id", new { id }, tx, cancellationToken: ct));

    public async Task<BotAssignment?> RemoveAsync(Guid id, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<BotAssignment>(new CommandDefinition(
            "DELETE FROM portal.bot_assignments WHERE id = @id RETURNING id, bot, user_id, role, created_at",
            new { id }, cancellationToken: ct));
    }

    public async Task SetForUserAsync(Guid userId, IReadOnlyCollection<string> bots, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "DELETE FROM portal.bot_assignments WHERE user_id = @userId AND NOT (bot = ANY(@bots))",
            new { userId, bots = bots.ToArray() }, tx, cancellationToken: ct));
        foreach (var bot in bots)
            await AssignAsync(conn, tx, bot, userId, null, ct);
        await tx.CommitAsync(ct);
    }
}
