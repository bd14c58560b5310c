using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Genie.ServiceDefaults.Auth;

/// <summary>Issues and validates the short-lived HS256 tokens every gRPC call but health carries.</summary>
public sealed class TokenService
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(10);

    private readonly SymmetricSecurityKey _key;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly TimeProvider _time;

    // Signature checks dominate a small call's cost; a validated token is remembered until it expires.
    private const int MaxCachedTokens = 10_000;
    private readonly ConcurrentDictionary<string, CallerIdentity> _validated = new(StringComparer.Ordinal);

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

    /// <summary>Validates signature, issuer, audience and lifetime; returns the caller or why not.</summary>
    public async Task<(CallerIdentity? Caller, string? Error)> ValidateAsync(string token)
    {
        if (_validated.TryGetValue(token, out var known))
        {
            if (known.ExpiresAt > _time.GetUtcNow().AddSeconds(-30))
                return (known, null);
            _validated.TryRemove(token, out _);
        }
        var (caller, error) = await ValidateUncachedAsync(token).ConfigureAwait(false);
        if (caller is not null)
        {
            if (_validated.Count >= MaxCachedTokens)
                _validated.Clear();
            _validated[token] = caller;
        }
        return (caller, error);
    }

    private async Task<(CallerIdentity? Caller, string? Error)> ValidateUncachedAsync(string token)
    {
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = AuthOptions.Issuer,
            ValidAudience = AuthOptions.Audience,
            IssuerSigningKey = _key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ClockSkew = TimeSpan.FromSeconds(30),
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = _time.GetUtcNow().UtcDateTime;
                return expires is { } exp && exp > now.AddSeconds(-30) && (notBefore is null || notBefore <= now.AddSeconds(30));
            },
        };
        var result = await _handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return (null, result.Exception switch
            {
                SecurityTokenExpiredException or SecurityTokenInvalidLifetimeException => "the token has expired",
                SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "the token signature is invalid",
                _ => "the token is invalid",
            });
        }
        var claims = result.ClaimsIdentity;
        string Claim(string type) => claims.FindFirst(type)?.Value ?? "";
        var role = Claim("role");
        if (!Roles.IsPersonRole(role) && role != Roles.Service)
            return (null, "the token has no valid role");
        var jwt = (JsonWebToken)result.SecurityToken;
        var caller = new CallerIdentity(
            Claim(ClaimTypes.NameIdentifier) is { Length: > 0 } id ? id : Claim(JwtRegisteredClaimNames.Sub),
            Claim(ClaimTypes.Email) is { Length: > 0 } email ? email : Claim(JwtRegisteredClaimNames.Email),
            Claim(JwtRegisteredClaimNames.Name),
            role,
            token,
            new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero));
        return (caller, null);
    }
}
