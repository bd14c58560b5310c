using Dapper;
using Npgsql;

namespace Genie.Web.Identity;

public sealed record UserCounts(int Admins, int Instructors, int Learners, int Deactivated, int AwaitingFirstSignIn, int SignedInLastWeek);

public sealed record UserPage(IReadOnlyList<PortalUser> Users, int Total, int Page, int PageSize)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>Reads and writes <c>portal.users</c>.</summary>
public sealed class UserStore(NpgsqlDataSource db)
{
    private const string Columns =
        "id, email, display_name, role, active, password_hash, failed_attempts, lockout_until, security_stamp, created_at, last_sign_in_at";

    public async Task<PortalUser?> FindByIdAsync(Guid id, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<PortalUser>(
            new CommandDefinition($"SELECT {Columns} FROM portal.users WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<PortalUser?> FindByEmailAsync(string email, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<PortalUser>(
            new CommandDefinition($"SELECT {Columns} FROM portal.users WHERE lower(email) = lower(@email)", new { email = email.Trim() }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<PortalUser>> FindManyAsync(IEnumerable<Guid> ids, CancellationToken ct = default)
    {
        var list = ids.Distinct().ToArray();
        if (list.Length == 0)
            return [];
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<PortalUser>(
            new CommandDefinition($"SELECT {Columns} FROM portal.users WHERE id = ANY(@list)", new { list }, cancellationToken: ct));
        return rows.ToList();
    }

    /// <summary>Users whose name or email contains <paramref name="query"/>, newest first.</summary>
    public async Task<UserPage> SearchAsync(string? query, string? role, int page, int pageSize, CancellationToken ct = default)
    {
        page = Math.Max(1, page);
        var pattern = string.IsNullOrWhiteSpace(query) ? null : "%" + EscapeLike(query.Trim()) + "%";
        role = string.IsNullOrWhiteSpace(role) ? null : role;
        const string where = """
            WHERE (@pattern::text IS NULL OR email ILIKE @pattern OR display_name ILIKE @pattern)
              AND (@role::text IS NULL OR role = @role)
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        var args = new { pattern, role, limit = pageSize, offset = (page - 1) * pageSize };
        var total = await conn.ExecuteScalarAsync<int>(new CommandDefinition($"SELECT count(*) FROM portal.users {where}", args, cancellationToken: ct));
        var users = await conn.QueryAsync<PortalUser>(new CommandDefinition(
            $"SELECT {Columns} FROM portal.users {where} ORDER BY created_at DESC, id LIMIT @limit OFFSET @offset", args, cancellationToken: ct));
        return new UserPage(users.ToList(), total, page, pageSize);
    }

    public async Task<UserCounts> CountAsync(DateTime since, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleAsync<UserCounts>(new CommandDefinition("""
            SELECT count(*) FILTER (WHERE active AND role = 'admin')::int AS admins,
                   count(*) FILTER (WHERE active AND role = 'instructor')::int AS instructors,
                   count(*) FILTER (WHERE active AND role = 'learner')::int AS learners,
                   count(*) FILTER (WHERE NOT active)::int AS deactivated,
                   count(*) FILTER (WHERE active AND password_hash IS NULL)::int AS awaitingfirstsignin,
                   count(*) FILTER (WHERE active AND last_sign_in_at >= @since)::int AS signedinlastweek
              FROM portal.users
            """, new { since }, cancellationToken: ct));
    }

    public async Task<bool> AnyActiveAdminAsync(CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM portal.users WHERE role = 'admin' AND active)", cancellationToken: ct));
    }

    public async Task<int> CountActiveAdminsAsync(CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*) FROM portal.users WHERE role = 'admin' AND active", cancellationToken: ct));
    }

    /// <summary>Inserts a user; false when the email is taken.</summary>
    public static async Task<bool> InsertAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid id, string email, string displayName,
        string role, string? passwordHash, DateTime now, CancellationToken ct)
    {
        var inserted = await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO portal.users (id, email, display_name, role, password_hash, security_stamp, created_at)
            VALUES (@id, @email, @displayName, @role, @passwordHash, @stamp, @now)
            ON CONFLICT DO NOTHING
            """, new { id, email = email.Trim(), displayName = displayName.Trim(), role, passwordHash, stamp = Guid.NewGuid(), now }, tx, cancellationToken: ct));
        return inserted == 1;
    }

    /// <summary>Changes name, role and active flag; a role or active change signs the user out everywhere.</summary>
    public async Task UpdateProfileAsync(Guid id, string displayName, string role, bool active, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE portal.users
               SET display_name = @displayName,
                   security_stamp = CASE WHEN role <> @role OR active <> @active THEN @stamp ELSE security_stamp END,
                   role = @role,
                   active = @active
             WHERE id = @id
            """, new { id, displayName = displayName.Trim(), role, active, stamp = Guid.NewGuid() }, cancellationToken: ct));
    }

    /// <summary>Sets a new password, clears any lockout and ends the user's other sessions.</summary>
    public static async Task SetPasswordAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid id, string passwordHash, CancellationToken ct)
    {
        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE portal.users
               SET password_hash = @passwordHash, failed_attempts = 0, lockout_until = NULL, security_stamp = @stamp
             WHERE id = @id
            """, new { id, passwordHash, stamp = Guid.NewGuid() }, tx, cancellationToken: ct));
    }

    public async Task SetPasswordAsync(Guid id, string passwordHash, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await SetPasswordAsync(conn, null, id, passwordHash, ct);
    }

    /// <summary>
    /// Counts one wrong password atomically (parallel guesses cannot slip past the limit); the
    /// attempt that reaches <paramref name="maxAttempts"/> locks the account until <paramref name="lockUntil"/>.
    /// Returns true when this attempt locked it.
    /// </summary>
    public async Task<bool> RecordFailedAttemptAsync(Guid id, int maxAttempts, DateTime lockUntil, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<bool>(new CommandDefinition("""
            UPDATE portal.users
               SET failed_attempts = CASE WHEN failed_attempts + 1 >= @maxAttempts THEN 0 ELSE failed_attempts + 1 END,
                   lockout_until   = CASE WHEN failed_attempts + 1 >= @maxAttempts THEN @lockUntil ELSE lockout_until END
             WHERE id = @id
            RETURNING lockout_until IS NOT DISTINCT FROM @lockUntil
            """, new { id, maxAttempts, lockUntil }, cancellationToken: ct));
    }

    public async Task RecordSignInAsync(Guid id, DateTime now, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE portal.users SET failed_attempts = 0, lockout_until = NULL, last_sign_in_at = @now WHERE id = @id",
            new { id, now }, cancellationToken: ct));
    }

    public async Task UnlockAsync(Guid id, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE portal.users SET failed_attempts = 0, lockout_until = NULL WHERE id = @id", new { id }, cancellationToken: ct));
    }

    private static string EscapeLike(string value) =>
        value.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
}
