using System.Text;
using Microsoft.Extensions.Configuration;

namespace Genie.ServiceDefaults.Auth;

/// <summary>
/// The shared HS256 signing key, from <c>Genie:Auth:SigningKey</c>. Accepts base64 (as the AppHost
/// generates it) or any string of at least 32 bytes.
/// </summary>
public sealed class AuthOptions
{
    public const string SigningKeyKey = "Genie:Auth:SigningKey";
    public const string Issuer = "genie";
    public const string Audience = "genie";

    public required byte[] SigningKey { get; init; }

    public static AuthOptions FromConfiguration(IConfiguration configuration)
    {
        var raw = configuration[SigningKeyKey];
        if (string.IsNullOrWhiteSpace(raw))
            throw new InvalidOperationException(
                $"{SigningKeyKey} is not set. The AppHost generates one; when running a service alone set " +
                "Genie__Auth__SigningKey to a random base64 string of at least 32 bytes.");
        return new AuthOptions { SigningKey = DecodeKey(raw) };
    }

    public static byte[] DecodeKey(string raw)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(raw);
        }
        catch (FormatException)
        {
            key = Encoding.UTF8.GetBytes(raw);
        }
        if (key.Length < 32)
            throw new InvalidOperationException($"{SigningKeyKey} must be at least 32 bytes (256 bits).");
        return key;
    }

    public static string GenerateKey() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));
}
