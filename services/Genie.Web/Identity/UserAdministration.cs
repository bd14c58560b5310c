using System.Net.Mail;
using Genie.ServiceDefaults.Auth;
using Genie.Web.Audit;
using Genie.Web.Notifications;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Genie.Web.Identity;

public sealed record NewUser(Guid UserId, string InvitationLink, DateTime ExpiresAt, Guid NotificationId);

public sealed record UserChange(string DisplayName, string Role, bool Active);

/// <summary>
/// Creating and changing users. Creating a user, its invitation, its welcome notification and
/// the audit entry happen in one transaction: either all exist or none.
/// </summary>
public sealed class UserAdministration(
    NpgsqlDataSource db,
    UserStore users,
    NotificationStore notifications,
    NotificationSignal signal,
    SmtpMailer mailer,
    SlackWelcome slackWelcome,
    IOptions<PortalIdentityOptions> options,
    TimeProvider time)
{
    public static string? ValidateEmail(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
            return "Enter an email address.";
        if (email.Length > 254 || !MailAddress.TryCreate(email.Trim(), out var parsed) || parsed.Address != email.Trim() || (!parsed.Host.Contains('.') && parsed.Host != "localhost"))
            return "Enter a valid email address, like name@example.com.";
        return null;
    }

    public static string? ValidateDisplayName(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "Enter a name." : name.Trim().Length > 100 ? "Use at most 100 characters." : null;

    /// <summary>
    /// Creates the user with an invitation and queues the welcome email; the welcome also goes to Slack when it is
    /// deployed and knows the e-mail. Null when the email is taken.
    /// </summary>
    public async Task<NewUser?> CreateAsync(AuditActor actor, string inviterName, string email, string displayName, string role, string baseUrl, CancellationToken ct = default)
    {
        if (!Roles.IsPersonRole(role))
            throw new ArgumentException($"Unknown role '{role}'.", nameof(role));
        var now = time.GetUtcNow().UtcDateTime;
        var id = Guid.NewGuid();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (!await UserStore.InsertAsync(conn, tx, id, email, displayName, role, null, now, ct))
            return null;
        var result = await InviteAsync(conn, tx, id, email.Trim(), displayName.Trim(), inviterName, baseUrl, now, ct);
        await AuditLog.WriteAsync(conn, tx, actor, "user.create", email.Trim(), $"role {role}", ct);
        await tx.CommitAsync(ct);
        signal.Notify();
        slackWelcome.Send(email.Trim(), displayName.Trim(), inviterName, baseUrl);
        return result;
    }

    /// <summary>A fresh invitation (the previous link stops working) and a new welcome notification.</summary>
    public async Task<NewUser?> ReinviteAsync(AuditActor actor, string inviterName, Guid userId, string baseUrl, CancellationToken ct = default)
    {
        var user = await users.FindByIdAsync(userId, ct);
        if (user is null)
            return null;
        var now = time.GetUtcNow().UtcDateTime;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var result = await InviteAsync(conn, tx, user.Id, user.Email, user.DisplayName, inviterName, baseUrl, now, ct);
        await AuditLog.WriteAsync(conn, tx, actor, "user.reinvite", user.Email, "", ct);
        await tx.CommitAsync(ct);
        signal.Notify();
        return result;
    }

    public async Task UpdateAsync(AuditActor actor, PortalUser before, UserChange change, CancellationToken ct = default)
    {
        await users.UpdateProfileAsync(before.Id, change.DisplayName, change.Role, change.Active, ct);
        var details = new List<string>();
        if (before.DisplayName != change.DisplayName.Trim()) details.Add($"name '{before.DisplayName}' → '{change.DisplayName.Trim()}'");
        if (before.Role != change.Role) details.Add($"role {before.Role} → {change.Role}");
        if (before.Active != change.Active) details.Add(change.Active ? "reactivated" : "deactivated");
        if (details.Count > 0)
        {
            await using var conn = await db.OpenConnectionAsync(ct);
            await AuditLog.WriteAsync(conn, null, actor, "user.update", before.Email, string.Join("; ", details), ct);
        }
    }

    private async Task<NewUser> InviteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid userId, string email, string displayName,
        string inviterName, string baseUrl, DateTime now, CancellationToken ct)
    {
        var (token, expiresAt) = await InvitationStore.CreateAsync(conn, tx, userId, now, options.Value.InvitationLifetime, ct);
        var link = InvitationStore.Link(baseUrl, token);
        var notificationId = await notifications.EnqueueAsync(conn, tx, WelcomeMessage.Kind, userId, email,
            WelcomeMessage.Subject, WelcomeMessage.Body(displayName, inviterName, link, expiresAt), link, mailer.IsConfigured, ct);
        return new NewUser(userId, link, expiresAt, notificationId);
    }
}
