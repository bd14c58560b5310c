using System.Security.Cryptography;
using System.Text.Json;
using Genie.ServiceDefaults.Secrets;

namespace Genie.Retrieval.Sources;

/// <summary>
/// A source's secrets (name → value, e.g. an MCP server's environment variables) sealed at rest as one JSON map with
/// the shared <see cref="SecretProtector"/> (scope <c>retrieval</c>). The source's id is the purpose, so one source's
/// sealed bytes cannot be opened as another's.
/// </summary>
public sealed class SourceSecrets(SecretProtector protector)
{
    public const string Scope = "retrieval";

    /// <summary>Why a sync or an update cannot use the stored secrets; the fix is in the sentence.</summary>
    public const string CannotOpen = "stored source secrets cannot be decrypted: the secret key changed; set the source's secrets again";

    public static SourceSecrets FromConfiguration(IConfiguration configuration) =>
        new(SecretProtector.FromConfiguration(configuration, Scope, "a source's secrets"));

    public static string Purpose(Guid sourceId) => $"source-secrets:{sourceId}";

    /// <summary>The sealed map, or null when there are no secrets.</summary>
    public byte[]? Seal(Guid sourceId, IReadOnlyDictionary<string, string> secrets) =>
        secrets.Count == 0 ? null : protector.Protect(JsonSerializer.Serialize(secrets), Purpose(sourceId));

    /// <summary>Throws <see cref="CryptographicException"/> (<see cref="CannotOpen"/>) when the key changed or the bytes are not this source's.</summary>
    public Dictionary<string, string> Open(Guid sourceId, byte[]? sealedSecrets)
    {
        if (sealedSecrets is null || sealedSecrets.Length == 0)
            return [];
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(protector.Unprotect(sealedSecrets, Purpose(sourceId))) ?? [];
        }
        catch (CryptographicException e)
        {
            throw new CryptographicException(CannotOpen, e);
        }
    }
}
