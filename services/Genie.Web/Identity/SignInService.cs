using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Genie.Web.Identity;

public enum SignInOutcome { Success, InvalidCredentials, LockedOut, Deactivated }

public sealed record SignInAttempt(SignInOutcome Outcome, PortalUser? User = null, DateTime? LockedUntil = null);

/// <summary>Checks an email and password, counting failures and locking the account after too many.</summary>
public sealed class SignInService(
    UserStore users,
    IPasswordHasher<PortalUser> hasher,
    IOptions<PortalIdentityOptions> options,
    TimeProvider time,
    ILogger<SignInService> logger)
{
    // Verified against when the email is unknown, so both cases cost one hash verification.
    private static readonly string UnknownUserHash = new PasswordHasher<PortalUser>().HashPassword(new PortalUser(), Guid.NewGuid().ToString());

    public async Task<SignInAttempt> CheckAsync(string email, string password, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var user = string.IsNullOrWhiteSpace(email) ? null : await users.FindByEmailAsync(email, ct);
        if (user is null || user.PasswordHash is null)
        {
            hasher.VerifyHashedPassword(new PortalUser(), UnknownUserHash, password ?? "");
            return new SignInAttempt(SignInOutcome.InvalidCredentials);
        }
        if (user.LockoutUntil is { } until && until > now)
            return new SignInAttempt(SignInOutcome.LockedOut, user, until);

        var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, password ?? "");
        if (verdict == PasswordVerificationResult.Failed)
        {
            var lockUntil = now + options.Value.LockoutDuration;
            var locked = await users.RecordFailedAttemptAsync(user.Id, options.Value.MaxFailedAttempts, lockUntil, ct);
            if (locked)
            {
                logger.LogWarning("Account {UserId} locked until {Until} after {Attempts} failed sign-ins", user.Id, lockUntil, options.Value.MaxFailedAttempts);
                return new SignInAttempt(SignInOutcome.LockedOut, user, lockUntil);
            }
            return new SignInAttempt(SignInOutcome.InvalidCredentials);
        }
        // Only someone who knows the password learns that the account is deactivated.
        if (!user.Active)
            return new SignInAttempt(SignInOutcome.Deactivated, user);
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
            await users.SetPasswordAsync(user.Id, hasher.HashPassword(user, password!), ct);
        await users.RecordSignInAsync(user.Id, now, ct);
        return new SignInAttempt(SignInOutcome.Success, await users.FindByIdAsync(user.Id, ct) ?? user);
    }
}
