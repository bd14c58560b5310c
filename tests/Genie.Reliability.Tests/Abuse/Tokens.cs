using System.Text;
using System.Text.Json;
using Genie.ServiceDefaults.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Genie.Reliability.Tests.Abuse;

/// <summary>Bearer tokens that must all be refused, each wrong in exactly one way, beside a good one.</summary>
public static class Tokens
{
    public static string Make(byte[] key, string role, string userId = "abuse-1", string issuer = AuthOptions.Issuer,
        string audience = AuthOptions.Audience, TimeSpan? expiresIn = null)
    {
        var expires = DateTime.UtcNow + (expiresIn ?? TimeSpan.FromMinutes(30));
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = expires.AddHours(-1),
            NotBefore = expires.AddHours(-1),
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = userId,
                [JwtRegisteredClaimNames.Email] = $"{userId}@example.test",
                [JwtRegisteredClaimNames.Name] = userId,
                ["role"] = role,
            },
        });
    }

    /// <summary>The refused kinds, named for the test output; <paramref name="key"/> is the services' real key.</summary>
    public static IReadOnlyList<(string Kind, string? Token)> Refused(byte[] key)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var unsignedPayload = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["iss"] = AuthOptions.Issuer, ["aud"] = AuthOptions.Audience, ["sub"] = "abuse-1", ["email"] = "abuse-1@example.test",
            ["name"] = "abuse-1", ["role"] = Roles.Admin, ["iat"] = now, ["nbf"] = now - 60, ["exp"] = now + 1800,
        });
        return
        [
            ("no token", null),
            ("expired", Make(key, Roles.Admin, expiresIn: TimeSpan.FromMinutes(-5))),
            ("wrong key", Make(Convert.FromBase64String(AuthOptions.GenerateKey()), Roles.Admin)),
            ("wrong audience", Make(key, Roles.Admin, audience: "someone-else")),
            ("wrong issuer", Make(key, Roles.Admin, issuer: "someone-else")),
            ("alg none", $"{Base64Url("""{"alg":"none","typ":"JWT"}""")}.{Base64Url(unsignedPayload)}."),
            ("garbage", "not-a-jwt"),
        ];
    }

    private static string Base64Url(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
}
