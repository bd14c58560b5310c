using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Genie.ServiceDefaults.Secrets;
using Npgsql;

namespace Genie.Retrieval.Sources;

/// <summary>
/// The upgrade from Retrieval's own secret sealing to <see cref="SourceSecrets"/>: at startup, opens the source secrets
/// that migration 0004 marked (<c>secrets_legacy</c>) the way releases before it sealed them (AES-256-GCM under an HKDF
/// key with an empty salt and info <c>genie.retrieval.source-secrets.v1</c>, no associated data) and re-seals them.
/// The only place the old format is read. One replica at a time (transaction-level advisory lock); a row the old key
/// cannot open (the key changed since) is left marked and logged, and its sync says to set its secrets again.
/// </summary>
public sealed class LegacySourceSecrets(NpgsqlDataSource db, SourceSecrets secrets, IConfiguration configuration, ILogger<LegacySourceSecrets> logger)
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] Info = Encoding.UTF8.GetBytes("genie.retrieval.source-secrets.v1");

    /// <summary>Re-seals every marked row it can open; returns how many.</summary>
    public async Task<int> ResealAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(hashtext('retrieval.legacy_source_secrets'))", transaction: tx, cancellationToken: ct));
        var rows = (await connection.QueryAsync<(Guid Id, byte[]? Secrets)>(new CommandDefinition(
            "SELECT id, secrets FROM retrieval.sources WHERE secrets_legacy ORDER BY id FOR UPDATE", transaction: tx, cancellationToken: ct))).ToList();
        if (rows.Count == 0)
            return 0;

        var key = OldKey();
        var resealed = 0;
        foreach (var (id, sealedSecrets) in rows)
        {
            byte[]? resealedSecrets = null;
            if (sealedSecrets is { Length: > 0 })
            {
                try
                {
                    resealedSecrets = secrets.Seal(id, Open(key, sealedSecrets));
                }
                catch (Exception e) when (e is CryptographicException or JsonException)
                {
                    logger.LogWarning("Source {SourceId}: its secrets, sealed by an earlier release, cannot be opened with the current key " +
                        "({Reason}); they are left as they are until the source's secrets are set again", id, e.GetType().Name);
                    continue;
                }
            }
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE retrieval.sources SET secrets = @secrets, secrets_legacy = false WHERE id = @id",
                new { id, secrets = resealedSecrets }, tx, cancellationToken: ct));
            resealed++;
        }
        await tx.CommitAsync(ct);
        logger.LogInformation("Re-sealed the secrets of {Count} sources with the shared secret protector", resealed);
        return resealed;
    }

    /// <summary>The key the earlier releases derived from the same configured key material.</summary>
    private byte[] OldKey() =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, SecretProtector.KeyMaterial(configuration, "a source's secrets"), 32, salt: [], info: Info);

    /// <summary>Layout: version 1 | nonce(12) | tag(16) | ciphertext of the JSON map.</summary>
    private static Dictionary<string, string> Open(byte[] key, byte[] sealedSecrets)
    {
        if (sealedSecrets.Length < 1 + NonceSize + TagSize || sealedSecrets[0] != 1)
            throw new CryptographicException("unknown format");
        var plain = new byte[sealedSecrets.Length - 1 - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedSecrets.AsSpan(1, NonceSize), sealedSecrets.AsSpan(1 + NonceSize + TagSize), sealedSecrets.AsSpan(1 + NonceSize, TagSize), plain);
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(plain) ?? [];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }
}
