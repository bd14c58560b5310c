using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;

namespace Genie.Web.Notifications;

/// <summary>
/// The outbox of messages to people. A message is written in the same transaction as what caused
/// it, then delivered by <see cref="NotificationDispatcher"/>; claims use SKIP LOCKED with a lease,
/// so replicas never send one twice concurrently and a crash mid-send only delays it.
/// </summary>
public sealed class NotificationStore(NpgsqlDataSource db, IDataProtectionProvider protection, TimeProvider time)
{
    private const string Columns =
        "id, kind, user_id, recipient, subject, body_protected, link_protected, status, attempts, last_error, next_attempt_at, created_at, sent_at";

    private readonly IDataProtector _protector = protection.CreateProtector("Genie.Web.Notifications.Body.v1");

    public async Task<Guid> EnqueueAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string kind, Guid? userId, string recipient,
        string subject, string body, string? link, bool deliverByEmail, CancellationToken ct)
    {
        var id = Guid.NewGuid();
        var now = time.GetUtcNow().UtcDateTime;
        await conn.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO portal.notifications ({Columns})
            VALUES (@id, @kind, @userId, @recipient, @subject, @body, @link, @status, 0, NULL, @next, @now, NULL)
            """, new
        {
            id, kind, userId, recipient, subject,
            body = _protector.Protect(body),
            link = link is null ? null : _protector.Protect(link),
            status = deliverByEmail ? NotificationStatus.Pending : NotificationStatus.PortalOnly,
            next = deliverByEmail ? now : (DateTime?)null,
            now,
        }, tx, cancellationToken: ct));
        return id;
    }

    public string ReadBody(Notification notification) => _protector.Unprotect(notification.BodyProtected);

    /// <summary>The link the message carries (the invitation), for the admin to pass on by hand.</summary>
    public string? ReadLink(Notification notification) =>
        notification.LinkProtected is null ? null : _protector.Unprotect(notification.LinkProtected);

    public async Task<IReadOnlyList<Notification>> ClaimDueAsync(int batch, TimeSpan lease, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<Notification>(new CommandDefinition($"""
            UPDATE portal.notifications SET status = 'sending', next_attempt_at = @leaseEnd
             WHERE id IN (SELECT id FROM portal.notifications
                           WHERE status IN ('pending', 'sending') AND next_attempt_at <= @now
                           ORDER BY next_attempt_at LIMIT @batch FOR UPDATE SKIP LOCKED)
            RETURNING {Columns}
            """, new { now, leaseEnd = now + lease, batch }, cancellationToken: ct));
        return rows.ToList();
    }

    public async Task MarkSentAsync(Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE portal.notifications
               SET status = 'sent', attempts = attempts + 1, sent_at = @now, next_attempt_at = NULL, last_error = NULL
             WHERE id = @id
            """, new { id, now = time.GetUtcNow().UtcDateTime }, cancellationToken: ct));
    }

    /// <summary>Records a failed attempt: retried at <paramref name="retryAt"/>, or marked failed when null.</summary>
    public async Task MarkAttemptFailedAsync(Guid id, string error, DateTime? retryAt, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE portal.notifications
               SET status = CASE WHEN @retryAt::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
                   attempts = attempts + 1, last_error = @error, next_attempt_at = @retryAt
             WHERE id = @id
            """, new { id, error, retryAt }, cancellationToken: ct));
    }

    /// <summary>Sends an unsent email notification again as soon as possible.</summary>
    public async Task<bool> RetryNowAsync(Guid id, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE portal.notifications SET status = 'pending', next_attempt_at = @now
             WHERE id = @id AND status IN ('pending', 'failed')
            """, new { id, now = time.GetUtcNow().UtcDateTime }, cancellationToken: ct)) == 1;
    }

    public async Task<Notification?> FindAsync(Guid id, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Notification>(new CommandDefinition(
            $"SELECT {Columns} FROM portal.notifications WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<Notification>> ForUserAsync(Guid userId, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<Notification>(new CommandDefinition(
            $"SELECT {Columns} FROM portal.notifications WHERE user_id = @userId ORDER BY created_at DESC", new { userId }, cancellationToken: ct));
        return rows.ToList();
    }

    /// <summary>The most recent notifications, those needing attention first.</summary>
    public async Task<IReadOnlyList<Notification>> RecentAsync(int limit, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<Notification>(new CommandDefinition($"""
            SELECT {Columns} FROM portal.notifications
             ORDER BY (status = 'failed' OR (status IN ('pending', 'sending') AND last_error IS NOT NULL)) DESC, created_at DESC
             LIMIT @limit
            """, new { limit }, cancellationToken: ct));
        return rows.ToList();
    }

    public async Task<int> CountNeedingAttentionAsync(CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*) FROM portal.notifications WHERE status = 'failed' OR (status IN ('pending', 'sending') AND last_error IS NOT NULL)",
            cancellationToken: ct));
    }
}
