using System.Security.Cryptography;
using System.Text;
using Genie.ServiceDefaults.Auth;
using Microsoft.Extensions.Configuration;

namespace Genie.ServiceDefaults.Secrets;

/// <summary>
/// Encrypts secrets at rest with AES-256-GCM. Each service derives its own key (HKDF-SHA256, salted with its
/// <c>scope</c>) from <c>Genie:Secrets:Key</c> when set, else from <c>Genie:Auth:SigningKey</c>; rotating that
/// key means entering the stored secrets again. Layout: version(1) | nonce(12) | tag(16) | ciphertext, with the
/// purpose (which secret it is) as associated data, so one secret's bytes cannot stand in for another's.
/// </summary>
public sealed class SecretProtector
{
    public const string SecretsKeyKey = "Genie:Secrets:Key";
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    /// <param name="scope">The service's own key space, e.g. <c>lms</c> or <c>slack</c>.</param>
    public SecretProtector(byte[] keyMaterial, string scope)
    {
        if (keyMaterial.Length < 32)
            throw new ArgumentException("secret key material must be at least 32 bytes", nameof(keyMaterial));
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, keyMaterial, 32,
            Encoding.UTF8.GetBytes($"genie.{scope}"), Encoding.UTF8.GetBytes($"genie.{scope}.secrets.v1"));
    }

    /// <param name="what">What the service encrypts, for the error when no key is configured.</param>
    public static SecretProtector FromConfiguration(IConfiguration configuration, string scope, string what) =>
        new(KeyMaterial(configuration, what), scope);

    /// <summary>The configured key material: <c>Genie:Secrets:Key</c> when set, else the token signing key.</summary>
    /// <param name="what">What the service encrypts, for the error when no key is configured.</param>
    public static byte[] KeyMaterial(IConfiguration configuration, string what)
    {
        var raw = configuration[SecretsKeyKey] is { Length: > 0 } secrets ? secrets : configuration[AuthOptions.SigningKeyKey];
        if (string.IsNullOrWhiteSpace(raw))
            throw new InvalidOperationException($"Set {SecretsKeyKey} or {AuthOptions.SigningKeyKey}: {what} is encrypted with it.");
        return AuthOptions.DecodeKey(raw);
    }

    public byte[] Protect(string plaintext, string purpose)
    {
        var data = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[1 + NonceSize + TagSize + data.Length];
        output[0] = Version;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, data, output.AsSpan(1 + NonceSize + TagSize), output.AsSpan(1 + NonceSize, TagSize), Encoding.UTF8.GetBytes(purpose));
        CryptographicOperations.ZeroMemory(data);
        return output;
    }

    /// <summary>Throws <see cref="CryptographicException"/> when the data was altered or the key changed.</summary>
    public string Unprotect(byte[] protectedData, string purpose)
    {
        if (protectedData.Length < 1 + NonceSize + TagSize || protectedData[0] != Version)
            throw new CryptographicException("unknown secret format");
        var cipher = protectedData.AsSpan(1 + NonceSize + TagSize);
        var plain = new byte[cipher.Length];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(protectedData.AsSpan(1, NonceSize), cipher, protectedData.AsSpan(1 + NonceSize, TagSize), plain, Encoding.UTF8.GetBytes(purpose));
        return Encoding.UTF8.GetString(plain);
    }
}
