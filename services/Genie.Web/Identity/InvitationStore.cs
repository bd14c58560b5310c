using Dapper;
using Npgsql;

namespace Genie.Web.Identity;

public enum InvitationState { Valid, Unknown, Used, Expired }

public sealed record InvitationLookup(InvitationState State, PortalUser? User = null, DateTime? ExpiresAt = null);

/// <summary>
/// Single-use, expiring links that let a new user set their first password. Only the token's hash
/// is stored; redeeming marks it used in the same transaction that sets the password.
/// </summary>
public sealed class InvitationStore(NpgsqlDataSource db, UserStore users, TimeProvider time)
{
    public const string PathPrefix = "/Account/Invitation?token=";

    /// <summary>Creates a new invitation (earlier unused ones of the user stop working) and returns its secret token.</summary>
    public static async Task<(string Token, DateTime ExpiresAt)> CreateAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, Guid userId, DateTime now, TimeSpan lifetime, CancellationToken ct)
    {
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE portal.invitations SET expires_at = @now WHERE user_id = @userId AND used_at IS NULL AND expires_at > @now",
            new { userId, now }, tx, cancellationToken: ct));
        var token = SecretToken.Create();
        var expiresAt = now + lifetime;
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO portal.invitations (id, user_id, token_hash, created_at, expires_at)
            VALUES (@id, @userId, @hash, @now, @expiresAt)
            """, new { id = Guid.NewGuid(), userId, hash = SecretToken.Hash(token), now, expiresAt }, tx, cancellationToken: ct));
        return (token, expiresAt);
    }

    public static string Link(string baseUrl, string token) => baseUrl.TrimEnd('/') + PathPrefix + Uri.EscapeDataString(token);

    public async Task<InvitationLookup> LookupAsync(string? token, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100)
            return new InvitationLookup(InvitationState.Unknown);
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<(Guid UserId, DateTime ExpiresAt, DateTime? UsedAt)>(new CommandDefinition(
            "SELECT user_id, expires_at, used_at FROM portal.invitations WHERE token_hash = @hash",
            new { hash = SecretToken.Hash(token) }, cancellationToken: ct));
        if (row.UserId == Guid.Empty)
            return new InvitationLookup(InvitationState.Unknown);
        var user = await users.FindByIdAsync(row.UserId, ct);
        if (user is null || !user.Active)
            return new InvitationLookup(InvitationState.Unknown);
        if (row.UsedAt is not null)
            return new InvitationLookup(InvitationState.Used, user, row.ExpiresAt);
        if (row.ExpiresAt <= time.GetUtcNow().UtcDateTime)
            return new InvitationLookup(InvitationState.Expired, user, row.ExpiresAt);
        return new InvitationLookup(InvitationState.Valid, user, row.ExpiresAt);
    }

    /// <summary>Uses the invitation and sets the password atomically; null when the link is no longer valid.</summary>
    public async Task<Guid?> RedeemAsync(string token, string passwordHash, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var userId = await conn.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition("""
            UPDATE portal.invitations i SET used_at = @now
              FROM portal.users u
             WHERE i.token_hash = @hash AND i.used_at IS NULL AND i.expires_at > @now
               AND u.id = i.user_id AND u.active
            RETURNING i.user_id
            """, new { hash = SecretToken.Hash(token), now }, tx, cancellationToken: ct));
        if (userId is null)
            return null;
        await UserStore.SetPasswordAsync(conn, tx, userId.Value, passwordHash, ct);
        await tx.CommitAsync(ct);
        return userId;
    }
}
