using Microsoft.Extensions.Options;

namespace Genie.Web.Identity;

/// <summary>What a new password must satisfy. Length over composition rules (NIST SP 800-63B).</summary>
public sealed class PasswordPolicy(IOptions<PortalIdentityOptions> options)
{
    public int MinimumLength => options.Value.MinimumPasswordLength;

    /// <summary>Null when acceptable, else the reason to show next to the field.</summary>
    public string? Check(string? password, string email)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinimumLength)
            return $"Use at least {MinimumLength} characters.";
        if (password.Length > 256)
            return "Use at most 256 characters.";
        if (string.Equals(password, email, StringComparison.OrdinalIgnoreCase))
            return "The password must not be your email address.";
        if (password.Distinct().Count() < 4)
            return "The password is too repetitive.";
        return null;
    }
}
