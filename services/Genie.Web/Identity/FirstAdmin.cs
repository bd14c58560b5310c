using Dapper;
using Genie.ServiceDefaults.Auth;
using Genie.Web.Audit;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace Genie.Web.Identity;

/// <summary>
/// On startup, when no active admin exists, creates one from <c>Genie:Admin:Email</c> and
/// <c>Genie:Admin:Password</c> (the AppHost passes them). Safe with several replicas starting at once:
/// the insert is keyed on the unique email.
/// </summary>
public sealed class FirstAdmin(
    NpgsqlDataSource db,
    UserStore users,
    IPasswordHasher<PortalUser> hasher,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<FirstAdmin> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await users.AnyActiveAdminAsync(cancellationToken))
            return;
        var email = configuration["Genie:Admin:Email"];
        var password = configuration["Genie:Admin:Password"];
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
        {
            logger.LogWarning("No admin exists and Genie:Admin:Email / Genie:Admin:Password are not set: nobody can sign in to manage the portal");
            return;
        }
        if (UserAdministration.ValidateEmail(email) is { } problem)
            throw new InvalidOperationException($"Genie:Admin:Email: {problem}");

        var name = configuration["Genie:Admin:Name"] is { Length: > 0 } n ? n : "Administrator";
        var hash = hasher.HashPassword(new PortalUser { Email = email }, password);
        await using var conn = await db.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        var created = await UserStore.InsertAsync(conn, tx, Guid.NewGuid(), email, name, Roles.Admin, hash, time.GetUtcNow().UtcDateTime, cancellationToken);
        if (!created)
        {
            // The email exists (e.g. the admin was demoted or deactivated): restore it as the admin with the configured password.
            await conn.ExecuteAsync(new CommandDefinition("""
                UPDATE portal.users SET role = 'admin', active = true, password_hash = @hash, failed_attempts = 0,
                       lockout_until = NULL, security_stamp = @stamp
                 WHERE lower(email) = lower(@email)
                """, new { email = email.Trim(), hash, stamp = Guid.NewGuid() }, tx, cancellationToken: cancellationToken));
        }
        await AuditLog.WriteAsync(conn, tx, AuditActor.System, created ? "admin.bootstrap" : "admin.restore", email.Trim(), "from configuration", cancellationToken);
        await tx.CommitAsync(cancellationToken);
        logger.LogInformation("First admin {Email} {Action} from configuration", email, created ? "created" : "restored");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
