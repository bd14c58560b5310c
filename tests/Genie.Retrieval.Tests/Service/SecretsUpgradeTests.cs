using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Genie.Contracts.Retrieval.V1;
using Genie.Retrieval.Embeddings;
using Genie.Retrieval.Sources;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Database;
using Genie.ServiceDefaults.Secrets;
using Genie.Testing;
using Genie.Testing.Hosts;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Genie.Retrieval.Tests.Service;

/// <summary>
/// Upgrading a database whose MCP source secrets the previous release sealed with Retrieval's own protector: two
/// replicas start on it at once, re-seal what the key opens with the shared <see cref="SecretProtector"/>, and leave
/// a row sealed under another key for its owner to set again.
/// </summary>
public class SecretsUpgradeTests : IDisposable
{
    private const string Token = "tok-upgraded-secret-456";
    private readonly string _folder = Directory.CreateTempSubdirectory("genie-upgrade-").FullName;

    [Fact]
    public async Task Secrets_sealed_by_the_previous_release_are_resealed_once_and_one_the_key_no_longer_opens_is_left()
    {
        var key = AuthOptions.GenerateKey();
        var connectionString = await (await PostgresCluster.GetSharedAsync()).CreateDatabaseAsync("retrieval");
        await using var db = NpgsqlDataSource.Create(connectionString);
        await new MigrationRunner(db, RetrievalServices.SchemaName, typeof(SecretsUpgradeTests).Assembly, NullLogger.Instance, "PreviousRelease/").ApplyAsync();
        File.WriteAllText(Path.Combine(_folder, "oncall.md"), "# On-call\n\nThe quokkabeacon pager rotates every Monday.");
        // The MCP server starts only when the environment carries the secret the previous release stored.
        var check = Path.Combine(_folder, "check-token.js");
        File.WriteAllText(check, $$"""if (process.env.FS_API_TOKEN !== "{{Token}}") { console.error("FS_API_TOKEN is not the stored secret"); process.exit(3); }""");

        var kb = Guid.CreateVersion7();
        await using (var connection = await db.OpenConnectionAsync())
            await connection.ExecuteAsync("""
                INSERT INTO retrieval.knowledge_bases (id, name, embedder_provider, embedder_model, dimension, created_by)
                VALUES (@kb, 'handbook', @provider, @model, @dimension, 'admin-1')
                """, new { kb, provider = HashingEmbeddingGenerator.ProviderName, model = HashingEmbeddingGenerator.ModelName, dimension = HashingEmbeddingGenerator.DefaultDimension });
        var (opened, _) = await AddPreviousReleaseSourceAsync(db, kb, AuthOptions.DecodeKey(key), new() { ["FS_API_TOKEN"] = Token });
        var (lostKey, lostKeySecrets) = await AddPreviousReleaseSourceAsync(db, kb, RandomNumberGenerator.GetBytes(32),
            new() { ["FS_API_TOKEN"] = Token, ["OTHER_TOKEN"] = "other" });

        var settings = new Dictionary<string, string?> { ["ConnectionStrings:genie"] = connectionString, [SecretProtector.SecretsKeyKey] = key };
        var logs = new CapturedLogs();
        var replicas = await Task.WhenAll(RetrievalTestHost.StartAsync(settings, logs), RetrievalTestHost.StartAsync(settings, logs));
        var afterUpgrade = await RowsAsync(db);
        var shared = new SourceSecrets(new SecretProtector(AuthOptions.DecodeKey(key), SourceSecrets.Scope));
        Assert.False(afterUpgrade[opened].Legacy);
        Assert.Equal(new Dictionary<string, string> { ["FS_API_TOKEN"] = Token }, shared.Open(opened, afterUpgrade[opened].Secrets));
        Assert.True(afterUpgrade[lostKey].Legacy);
        Assert.Equal(lostKeySecrets, afterUpgrade[lostKey].Secrets);
        // The row left behind is named in a warning; no secret, old or new sealed bytes reach the logs.
        Assert.Contains(logs.Lines, line => line.StartsWith("Warning") && line.Contains(lostKey.ToString()) && line.Contains("set again"));
        foreach (var secret in new[] { Token, Convert.ToBase64String(lostKeySecrets), Convert.ToBase64String(afterUpgrade[opened].Secrets), Convert.ToHexString(lostKeySecrets) })
            Assert.DoesNotContain(logs.Lines, line => line.Contains(secret, StringComparison.OrdinalIgnoreCase));

        var service = replicas[0];
        var synced = (await service.SyncAsync(new Source { Id = opened.ToString() }))[^1];
        Assert.True(synced.Status == "succeeded", $"{synced.Status}: {synced.Error}");
        Assert.Equal(1, synced.Counts.Added);
        var failed = (await service.SyncAsync(new Source { Id = lostKey.ToString() }))[^1];
        Assert.Equal("failed", failed.Status);
        Assert.Equal(SourceSecrets.CannotOpen, failed.Error);
        foreach (var replica in replicas)
            await replica.DisposeAsync();

        // Starting again changes nothing.
        await using var restarted = await RetrievalTestHost.StartAsync(settings);
        var afterRestart = await RowsAsync(db);
        Assert.Equal(afterUpgrade[opened].Secrets, afterRestart[opened].Secrets);
        Assert.Equal(lostKeySecrets, afterRestart[lostKey].Secrets);
        Assert.True(afterRestart[lostKey].Legacy);

        // Its owner sets the lost source's secrets again: all of them, since none can be kept.
        var partial = await Assert.ThrowsAsync<RpcException>(() => restarted.Client.UpdateSourceAsync(
            Update(lostKey, new() { ["FS_API_TOKEN"] = Token }), restarted.Admin).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, partial.StatusCode);
        Assert.Contains("missing OTHER_TOKEN", partial.Status.Detail);
        Assert.Equal(lostKeySecrets, (await RowsAsync(db))[lostKey].Secrets);
        var updated = await restarted.Client.UpdateSourceAsync(Update(lostKey, new() { ["FS_API_TOKEN"] = Token, ["OTHER_TOKEN"] = "" }), restarted.Admin);
        Assert.Equal(["FS_API_TOKEN"], updated.SecretNames);
        var set = (await RowsAsync(db))[lostKey];
        Assert.False(set.Legacy);
        Assert.Equal(new Dictionary<string, string> { ["FS_API_TOKEN"] = Token }, shared.Open(lostKey, set.Secrets));
        var resynced = (await restarted.SyncAsync(new Source { Id = lostKey.ToString() }))[^1];
        Assert.True(resynced.Status == "succeeded", $"{resynced.Status}: {resynced.Error}");
    }

    private McpSourceConfig McpConfig() => new()
    {
        Command = "node",
        Args = { "--require", Path.Combine(_folder, "check-token.js"), McpServers.FilesystemScript(), _folder },
        ListTool = "search_files",
        ListArgumentsJson = $$"""{"path": "{{_folder}}", "pattern": "**/*.md"}""",
        ReadTool = "read_text_file",
        ReadArgument = "path",
    };

    private UpdateSourceRequest Update(Guid id, Dictionary<string, string> secrets)
    {
        var config = McpConfig();
        config.Secrets.Add(secrets);
        return new UpdateSourceRequest { Id = id.ToString(), Config = new SourceConfig { Mcp = config } };
    }

    /// <summary>A source row as the previous release wrote it, its secrets sealed under <paramref name="keyMaterial"/>.</summary>
    private async Task<(Guid Id, byte[] Secrets)> AddPreviousReleaseSourceAsync(NpgsqlDataSource db, Guid kb, byte[] keyMaterial, Dictionary<string, string> secrets)
    {
        var id = Guid.CreateVersion7();
        var sealedSecrets = PreviousReleaseSeal(keyMaterial, secrets);
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO retrieval.sources (id, kb_id, name, kind, config, secrets, secret_names, created_by)
            VALUES (@id, @kb, @name, 'mcp', @config::jsonb, @sealedSecrets, @names, 'admin-1')
            """, new { id, kb, name = $"filesystem {id}", config = JsonFormatter.Default.Format(new SourceConfig { Mcp = McpConfig() }), sealedSecrets, names = secrets.Keys.Order().ToArray() });
        return (id, sealedSecrets);
    }

    private static async Task<Dictionary<Guid, (byte[] Secrets, bool Legacy)>> RowsAsync(NpgsqlDataSource db)
    {
        await using var connection = await db.OpenConnectionAsync();
        return (await connection.QueryAsync<(Guid Id, byte[] Secrets, bool Legacy)>("SELECT id, secrets, secrets_legacy FROM retrieval.sources"))
            .ToDictionary(r => r.Id, r => (r.Secrets, r.Legacy));
    }

    /// <summary>
    /// How the previous release sealed a source's secrets, written out: AES-256-GCM under HKDF-SHA256(key material,
    /// empty salt, info "genie.retrieval.source-secrets.v1"), no associated data; version 1 | nonce | tag | JSON map.
    /// </summary>
    private static byte[] PreviousReleaseSeal(byte[] keyMaterial, Dictionary<string, string> secrets)
    {
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, keyMaterial, 32, salt: [], info: Encoding.UTF8.GetBytes("genie.retrieval.source-secrets.v1"));
        var plain = JsonSerializer.SerializeToUtf8Bytes(secrets);
        var output = new byte[1 + 12 + 16 + plain.Length];
        output[0] = 1;
        RandomNumberGenerator.Fill(output.AsSpan(1, 12));
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(output.AsSpan(1, 12), plain, output.AsSpan(29), output.AsSpan(13, 16));
        return output;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
