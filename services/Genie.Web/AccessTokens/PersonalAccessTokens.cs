using Dapper;
using Genie.Web.Identity;
using Npgsql;

namespace Genie.Web.AccessTokens;

public sealed class PersonalAccessToken
{
    public Guid Id { get; init; }
    public Guid UserId { get; init; }
    public string Name { get; init; } = "";
    public string TokenPrefix { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public DateTime? LastUsedAt { get; init; }
    public DateTime? RevokedAt { get; init; }

    public bool IsRevoked => RevokedAt is not null;
}

/// <summary>
/// Long-lived secrets internal tools exchange for short-lived JWTs (see <c>PortalService.ExchangeToken</c>).
/// Stored as SHA-256; the secret is shown once, at creation.
/// </summary>
public sealed class PersonalAccessTokens(NpgsqlDataSource db, TimeProvider time)
{
    public const string Prefix = "genie_pat_";
    public const int MaxPerUser = 20;

    public async Task<(PersonalAccessToken Token, string Secret)?> CreateAsync(Guid userId, string name, CancellationToken ct = default)
    {
        var secret = SecretToken.Create(Prefix);
        var token = new PersonalAccessToken
        {
            Id = Guid.NewGuid(),
            UserId = userId,
            Name = name.Trim(),
            TokenPrefix = secret[..(Prefix.Length + 6)],
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        await using var conn = await db.OpenConnectionAsync(ct);
        var inserted = await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO portal.personal_access_tokens (id, user_id, name, token_hash, token_prefix, created_at)
            SELECT @Id, @UserId, @Name, @hash, @TokenPrefix, @CreatedAt
             WHERE (SELECT count(*) FROM portal.personal_access_tokens WHERE user_id = @UserId AND revoked_at IS NULL) < @max
            """, new { token.Id, token.UserId, token.Name, hash = SecretToken.Hash(secret), token.TokenPrefix, token.CreatedAt, max = MaxPerUser },
            cancellationToken: ct));
        return inserted == 1 ? (token, secret) : null;
    }

    public async Task<IReadOnlyList<PersonalAccessToken>> ListAsync(Guid userId, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<PersonalAccessToken>(new CommandDefinition("""
            SELECT id, user_id, name, token_prefix, created_at, last_used_at, revoked_at
              FROM portal.personal_access_tokens WHERE user_id = @userId
             ORDER BY revoked_at IS NOT NULL, created_at DESC
            """, new { userId }, cancellationToken: ct));
        return rows.ToList();
    }

    /// <summary>Revokes one of the user's own tokens; false when it is not theirs or already revoked.</summary>
    public async Task<bool> RevokeAsync(Guid userId, Guid tokenId, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE portal.personal_access_tokens SET revoked_at = @now WHERE id = @tokenId AND user_id = @userId AND revoked_at IS NULL",
            new { userId, tokenId, now = time.GetUtcNow().UtcDateTime }, cancellationToken: ct)) == 1;
    }

    /// <summary>The active user a live token belongs to (and records the use), or null.</summary>
    public async Task<PortalUser?> AuthenticateAsync(string secret, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(secret) || !secret.StartsWith(Prefix, StringComparison.Ordinal) || secret.Length > 100)
            return null;
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<PortalUser>(new CommandDefinition("""
            WITH used AS (
                UPDATE portal.personal_access_tokens SET last_used_at = @now
                 WHERE token_hash = @hash AND revoked_at IS NULL
                RETURNING user_id)
            SELECT u.id, u.email, u.display_name, u.role, u.active, u.security_stamp, u.created_at
              FROM used JOIN portal.users u ON u.id = used.user_id
             WHERE u.active
            """, new { hash = SecretToken.Hash(secret), now = time.GetUtcNow().UtcDateTime }, cancellationToken: ct));
    }
}
