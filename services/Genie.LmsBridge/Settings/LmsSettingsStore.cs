using System.Security.Cryptography;
using Dapper;
using Genie.LmsBridge.TalentLms;
using Genie.ServiceDefaults.Secrets;
using Npgsql;

namespace Genie.LmsBridge.Settings;

/// <summary>What the admin configured; the API key stays encrypted until a client needs it.</summary>
public sealed record LmsSettingsRecord(
    string Domain, bool ApiKeyConfigured, string ApiKeyLast4, int SyncIntervalMinutes, int NoProgressDays, int DueSoonDays)
{
    public static readonly LmsSettingsRecord Empty = new("", false, "", 60, 7, 3);
}

public sealed record LmsSettingsChange(string Domain, string? ApiKey, int? SyncIntervalMinutes, int? NoProgressDays, int? DueSoonDays);

/// <summary>The one row of <c>lms.settings</c>.</summary>
public sealed class LmsSettingsStore(NpgsqlDataSource db, SecretProtector protector)
{
    private const string KeyPurpose = "lms.settings.api_key";

    public async Task<LmsSettingsRecord> GetAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<SettingsRow>(new CommandDefinition(
            """
            SELECT domain, api_key_cipher IS NOT NULL AS api_key_configured, api_key_last4,
                   sync_interval_minutes, no_progress_days, due_soon_days
            FROM lms.settings WHERE id = 1
            """, cancellationToken: ct));
        return row is null
            ? LmsSettingsRecord.Empty
            : new LmsSettingsRecord(row.domain, row.api_key_configured, row.api_key_last4, row.sync_interval_minutes, row.no_progress_days, row.due_soon_days);
    }

    /// <summary>The connection to call TalentLMS with, or null while domain or key is missing.</summary>
    public async Task<TalentLmsConnection?> GetConnectionAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(string Domain, byte[]? Cipher)>(new CommandDefinition(
            "SELECT domain, api_key_cipher FROM lms.settings WHERE id = 1", cancellationToken: ct));
        if (row.Cipher is null || row.Domain.Length == 0)
            return null;
        string key;
        try
        {
            key = protector.Unprotect(row.Cipher, KeyPurpose);
        }
        catch (CryptographicException)
        {
            throw new InvalidOperationException(
                "The stored TalentLMS API key cannot be decrypted (the secrets key changed); enter the API key again in the LMS settings.");
        }
        return TalentLmsConnection.Create(row.Domain, key);
    }

    /// <summary>Validates everything first, then writes in one statement; nothing changes on a bad value.</summary>
    public async Task<LmsSettingsRecord> SetAsync(LmsSettingsChange change, string updatedBy, CancellationToken ct)
    {
        TalentLmsConnection.ParseApiBase(change.Domain);
        var key = change.ApiKey?.Trim();
        var cipher = string.IsNullOrEmpty(key) ? null : protector.Protect(key, KeyPurpose);
        var last4 = string.IsNullOrEmpty(key) ? null : key.Length <= 4 ? key : key[^4..];
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO lms.settings AS s (id, domain, api_key_cipher, api_key_last4, sync_interval_minutes, no_progress_days, due_soon_days, updated_by)
            VALUES (1, @domain, @cipher, coalesce(@last4, ''), coalesce(@interval, 60), coalesce(@noProgress, 7), coalesce(@dueSoon, 3), @updatedBy)
            ON CONFLICT (id) DO UPDATE SET
                domain = excluded.domain,
                api_key_cipher = coalesce(@cipher, s.api_key_cipher),
                api_key_last4 = coalesce(@last4, s.api_key_last4),
                sync_interval_minutes = coalesce(@interval, s.sync_interval_minutes),
                no_progress_days = coalesce(@noProgress, s.no_progress_days),
                due_soon_days = coalesce(@dueSoon, s.due_soon_days),
                updated_at = now(), updated_by = @updatedBy
            """,
            new
            {
                domain = change.Domain.Trim(), cipher, last4, interval = change.SyncIntervalMinutes,
                noProgress = change.NoProgressDays, dueSoon = change.DueSoonDays, updatedBy,
            }, cancellationToken: ct));
        return await GetAsync(ct);
    }

    private sealed record SettingsRow(string domain, bool api_key_configured, string api_key_last4, int sync_interval_minutes, int no_progress_days, int due_soon_days);
}
