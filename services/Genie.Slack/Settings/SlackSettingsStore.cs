using System.Security.Cryptography;
using Dapper;
using Genie.ServiceDefaults.Secrets;
using Npgsql;

namespace Genie.Slack.Settings;

/// <summary>One secret to change: <see cref="Keep"/> leaves it, an empty value clears it, anything else replaces it.</summary>
public readonly record struct SecretChange(bool Change, string? Value)
{
    public static readonly SecretChange Keep = new(false, null);

    public static SecretChange From(bool present, string value) => present ? new(true, value.Length == 0 ? null : value) : Keep;
}

/// <summary>When the portal last saved the settings, and who did.</summary>
public sealed record SlackSettingsSaved(DateTimeOffset? UpdatedAt, string UpdatedBy);

/// <summary>
/// The one row of <c>slack.settings</c>: secrets sealed with <see cref="SecretProtector"/> (scope <c>slack</c>, the
/// column name as purpose). Loading applies them to <see cref="SlackSecrets"/>, so what is saved is what is used.
/// </summary>
public sealed class SlackSettingsStore(NpgsqlDataSource db, SecretProtector protector, SlackSecrets secrets, ILogger<SlackSettingsStore> logger)
{
    private const string BotTokenColumn = "bot_token";
    private const string AppTokenColumn = "app_token";
    private const string SigningSecretColumn = "signing_secret";

    /// <summary>Reads the saved secrets, puts them in effect and says when they were saved.</summary>
    public async Task<SlackSettingsSaved> LoadAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT bot_token, app_token, signing_secret, updated_at, updated_by FROM slack.settings WHERE id = 1", cancellationToken: ct));
        if (row is null)
        {
            secrets.Apply(SlackCredentials.None);
            return new SlackSettingsSaved(null, "");
        }
        secrets.Apply(new SlackCredentials(
            Open(row.bot_token, BotTokenColumn), Open(row.app_token, AppTokenColumn), Open(row.signing_secret, SigningSecretColumn)));
        return new SlackSettingsSaved(new DateTimeOffset(DateTime.SpecifyKind(row.updated_at, DateTimeKind.Utc)), row.updated_by);
    }

    /// <summary>Writes the changes in one statement, then puts the result in effect.</summary>
    public async Task<SlackSettingsSaved> SaveAsync(SecretChange bot, SecretChange app, SecretChange signing, string updatedBy, CancellationToken ct)
    {
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO slack.settings AS s (id, bot_token, app_token, signing_secret, updated_by)
                VALUES (1, @bot::bytea, @app::bytea, @signing::bytea, @updatedBy)
                ON CONFLICT (id) DO UPDATE SET
                    bot_token = CASE WHEN @botChange THEN excluded.bot_token ELSE s.bot_token END,
                    app_token = CASE WHEN @appChange THEN excluded.app_token ELSE s.app_token END,
                    signing_secret = CASE WHEN @signingChange THEN excluded.signing_secret ELSE s.signing_secret END,
                    updated_at = now(), updated_by = excluded.updated_by
                """,
                new
                {
                    bot = Seal(bot, BotTokenColumn), botChange = bot.Change,
                    app = Seal(app, AppTokenColumn), appChange = app.Change,
                    signing = Seal(signing, SigningSecretColumn), signingChange = signing.Change,
                    updatedBy,
                }, cancellationToken: ct));
        }
        return await LoadAsync(ct);
    }

    private byte[]? Seal(SecretChange change, string purpose) =>
        change.Value is { } value ? protector.Protect(value, "slack.settings." + purpose) : null;

    private string? Open(byte[]? sealedValue, string purpose)
    {
        if (sealedValue is null)
            return null;
        try
        {
            return protector.Unprotect(sealedValue, "slack.settings." + purpose);
        }
        catch (CryptographicException)
        {
            logger.LogWarning("The saved Slack {Secret} cannot be decrypted (the secrets key changed); enter it again in Admin → Slack", purpose);
            return null;
        }
    }

    private sealed class Row
    {
        public byte[]? bot_token { get; init; }
        public byte[]? app_token { get; init; }
        public byte[]? signing_secret { get; init; }
        public DateTime updated_at { get; init; }
        public string updated_by { get; init; } = "";
    }
}

/// <summary>Loads the saved settings when the service starts (after the migrations, before Socket Mode and the workers).</summary>
public sealed class SlackSettingsLoader(SlackSettingsStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.LoadAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
