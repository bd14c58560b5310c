using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Genie.Retrieval.Sources;

/// <summary>
/// Encrypts a source's secrets at rest with AES-256-GCM. The key comes from <c>Genie:Secrets:Key</c>
/// when set, else is derived (HKDF-SHA256) from <c>Genie:Auth:SigningKey</c>, so every replica agrees.
/// Layout: version(1) | nonce(12) | tag(16) | ciphertext.
/// </summary>
public sealed class SecretProtector
{
    private const byte Version = 1;
    private static readonly byte[] Info = Encoding.UTF8.GetBytes("genie.retrieval.source-secrets.v1");
    private readonly byte[] _key;

    public SecretProtector(byte[] keyMaterial)
    {
        if (keyMaterial.Length < 32)
            throw new ArgumentException("secret key material must be at least 32 bytes", nameof(keyMaterial));
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, keyMaterial, 32, salt: [], info: Info);
    }

    public static SecretProtector FromConfiguration(IConfiguration configuration)
    {
        var raw = configuration["Genie:Secrets:Key"];
        if (string.IsNullOrWhiteSpace(raw))
            raw = configuration["Genie:Auth:SigningKey"];
        if (string.IsNullOrWhiteSpace(raw))
            throw new InvalidOperationException("Genie:Secrets:Key or Genie:Auth:SigningKey must be set to store source secrets.");
        return new SecretProtector(Genie.ServiceDefaults.Auth.AuthOptions.DecodeKey(raw));
    }

    public byte[]? Protect(IReadOnlyDictionary<string, string> secrets)
    {
        if (secrets.Count == 0)
            return null;
        var plain = JsonSerializer.SerializeToUtf8Bytes(secrets);
        var output = new byte[1 + 12 + 16 + plain.Length];
        output[0] = Version;
        var nonce = output.AsSpan(1, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(nonce, plain, output.AsSpan(29), output.AsSpan(13, 16));
        CryptographicOperations.ZeroMemory(plain);
        return output;
    }

    public Dictionary<string, string> Unprotect(byte[]? sealedSecrets)
    {
        if (sealedSecrets is null || sealedSecrets.Length == 0)
            return [];
        if (sealedSecrets.Length < 29 || sealedSecrets[0] != Version)
            throw new CryptographicException("stored source secrets have an unknown format");
        var plain = new byte[sealedSecrets.Length - 29];
        using var aes = new AesGcm(_key, 16);
        try
        {
            aes.Decrypt(sealedSecrets.AsSpan(1, 12), sealedSecrets.AsSpan(29), sealedSecrets.AsSpan(13, 16), plain);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new CryptographicException("stored source secrets cannot be decrypted: the secret key changed; set the source's secrets again", e);
        }
        return JsonSerializer.Deserialize<Dictionary<string, string>>(plain) ?? [];
    }
}
