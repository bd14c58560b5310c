using System.Security.Claims;
using Dapper;
using Genie.Web.Identity;
using Npgsql;

namespace Genie.Web.Audit;

public sealed record AuditActor(Guid? Id, string Email)
{
    public static AuditActor From(ClaimsPrincipal user) => new(user.UserId(), user.Email());

    public static readonly AuditActor System = new(null, "system");
}

public sealed class AuditEntry
{
    public long Id { get; init; }
    public DateTime At { get; init; }
    public Guid? ActorId { get; init; }
    public string ActorEmail { get; init; } = "";
    public string Action { get; init; } = "";
    public string Target { get; init; } = "";
    public string Detail { get; init; } = "";
}

/// <summary>What admins and instructors changed, by whom and when. Append-only.</summary>
public sealed class AuditLog(NpgsqlDataSource db)
{
    public static Task WriteAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, AuditActor actor, string action, string target, string detail, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO portal.audit_log (actor_id, actor_email, action, target, detail)
            VALUES (@id, @email, @action, @target, @detail)
            """, new { id = actor.Id, email = actor.Email, action, target, detail }, tx, cancellationToken: ct));

    public async Task WriteAsync(AuditActor actor, string action, string target, string detail = "", CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await WriteAsync(conn, null, actor, action, target, detail, ct);
    }

    public async Task<(IReadOnlyList<AuditEntry> Entries, int Total)> ListAsync(string? query, int page, int pageSize, CancellationToken ct = default)
    {
        var pattern = string.IsNullOrWhiteSpace(query) ? null : "%" + query.Trim().Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";
        const string where = "WHERE (@pattern::text IS NULL OR actor_email ILIKE @pattern OR action ILIKE @pattern OR target ILIKE @pattern OR detail ILIKE @pattern)";
        var args = new { pattern, limit = pageSize, offset = (Math.Max(1, page) - 1) * pageSize };
        await using var conn = await db.OpenConnectionAsync(ct);
        var total = await conn.ExecuteScalarAsync<int>(new CommandDefinition($"SELECT count(*) FROM portal.audit_log {where}", args, cancellationToken: ct));
        var rows = await conn.QueryAsync<AuditEntry>(new CommandDefinition(
            $"SELECT id, at, actor_id, actor_email, action, target, detail FROM portal.audit_log {where} ORDER BY id DESC LIMIT @limit OFFSET @offset",
            args, cancellationToken: ct));
        return (rows.ToList(), total);
    }
}
