using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Genie.ServiceDefaults.Auth;

/// <summary>
/// Issues the short-lived HS256 tokens every gRPC call but health carries; JwtBearer validates them
/// (<see cref="GenieAuthentication.ValidationParameters"/>).
/// </summary>
public sealed class TokenService
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(10);

    private readonly SymmetricSecurityKey _key;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly TimeProvider _time;

    public TokenService(AuthOptions options, TimeProvider? time = null)
    {
        _key = new SymmetricSecurityKey(options.SigningKey);
        _time = time ?? TimeProvider.System;
    }

    public string Issue(string userId, string email, string name, string role, TimeSpan? lifetime = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        var now = _time.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = AuthOptions.Issuer,
            Audience = AuthOptions.Audience,
            IssuedAt = now,
            NotBefore = now.AddSeconds(-5),
            Expires = now + (lifetime ?? DefaultLifetime),
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = userId,
                [JwtRegisteredClaimNames.Email] = email,
                [JwtRegisteredClaimNames.Name] = name,
                ["role"] = role,
            },
        };
        return _handler.CreateToken(descriptor);
    }

    /// <summary>A token for a service acting on its own behalf (e.g. a scheduled sync).</summary>
    public string IssueForService(string serviceName, TimeSpan? lifetime = null) =>
        Issue($"service:{serviceName}", "", serviceName, Roles.Service, lifetime);
}
