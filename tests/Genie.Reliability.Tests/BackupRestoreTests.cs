using Genie.Contracts.Retrieval.V1;
using Genie.ServiceDefaults.Auth;
using Genie.Testing;
using Genie.Testing.Hosts;
using Npgsql;

namespace Genie.Reliability.Tests;

/// <summary>
/// scripts/backup.sh and scripts/restore.sh on real data: Retrieval and the Agent fill one database through
/// their gRPC APIs, the backup is restored into a fresh local cluster (made by restore.sh under a new state
/// directory), and every table, the signing key and search come back the same.
/// </summary>
public sealed class BackupRestoreTests
{
    private const string ParkingDocument = """
        # Parking

        Badge holders park in lot B behind the warehouse. Visitors use lot A next to the main entrance.
        """;

    [Fact]
    public async Task A_backup_restored_into_a_fresh_cluster_holds_the_same_documents_conversations_and_signing_key()
    {
        var retrieval = await RetrievalTestHost.StartAsync();
        var database = retrieval.ConnectionString;
        KnowledgeBase kb;
        await using (retrieval)
        {
            await using var agent = await AgentTestHost.StartAsync(null, new Dictionary<string, string?>(retrieval.ClientSettings)
            {
                ["ConnectionStrings:genie"] = database, // one database for both, as in production
            });
            kb = await retrieval.CreateKbWithDocumentsAsync("Handbook", new Grants { Roles = { Roles.Learner } }, [("parking.md", ParkingDocument)]);
            var chat = await ChatResult.AskAsync(agent.Client, agent.As("learner-1"), "Where do badge holders park?");
            Assert.Contains("lot B", chat.Answer);
        }
        var before = await DatabaseSnapshot.TakeAsync(database);
        Assert.Contains(before, t => t.Key.StartsWith("retrieval.", StringComparison.Ordinal) && t.Value.Rows > 0);
        Assert.Contains(before, t => t.Key.StartsWith("agent.", StringComparison.Ordinal) && t.Value.Rows > 0);

        using var sourceState = new StateDirectory();
        await File.WriteAllTextAsync(Path.Combine(sourceState.Path, "signing-key"), "the-key-stored-secrets-were-encrypted-with");
        var backupFile = Path.Combine(sourceState.Path, "genie.backup");
        var backup = await BackupScripts.BackupAsync(backupFile, new Dictionary<string, string>
        {
            ["ConnectionStrings__genie"] = database,
            ["Genie__StateDirectory"] = sourceState.Path,
        });
        Assert.True(backup.ExitCode == 0, backup.Error);

        using var freshState = new StateDirectory();
        var restore = await BackupScripts.RestoreAsync([backupFile], new Dictionary<string, string> { ["Genie__StateDirectory"] = freshState.Path });
        Assert.True(restore.ExitCode == 0, restore.Error);
        Assert.Equal("the-key-stored-secrets-were-encrypted-with", await File.ReadAllTextAsync(Path.Combine(freshState.Path, "signing-key")));

        await using var restored = RunningCluster.Start(Path.Combine(freshState.Path, "postgres"));
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(restored.GenieConnectionString));

        await using var restoredRetrieval = await RetrievalTestHost.StartAsync(new Dictionary<string, string?> { ["ConnectionStrings:genie"] = restored.GenieConnectionString });
        var search = await restoredRetrieval.Client.SearchAsync(new SearchRequest { Query = "where do badge holders park", KnowledgeBaseIds = { kb.Id }, TopK = 5 }, restoredRetrieval.Admin);
        Assert.Contains(search.Hits, h => h.Text.Contains("lot B", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_that_is_not_a_backup_is_refused_in_one_line_and_the_database_is_untouched()
    {
        var target = await TargetWithOneRowAsync();
        using var state = new StateDirectory();
        var junk = Path.Combine(state.Path, "notes.txt");
        await File.WriteAllTextAsync(junk, "meeting notes, not a backup");

        var result = await BackupScripts.RestoreAsync(["--force", junk], Environment(target, state));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal($"error: {junk} is not a Genie backup (made by scripts/backup.sh)", result.Error);
        Assert.Equal(["kept"], await RowsAsync(target));
    }

    [Fact]
    public async Task A_backup_with_a_damaged_dump_is_refused_in_one_line_and_the_database_is_untouched()
    {
        var target = await TargetWithOneRowAsync();
        using var state = new StateDirectory();
        var backup = Path.Combine(state.Path, "genie.backup");
        Assert.Equal(0, (await BackupScripts.BackupAsync(backup, Environment(target, state))).ExitCode);
        var content = Path.Combine(state.Path, "content");
        Directory.CreateDirectory(content);
        Tar("-C", content, "-xzf", backup);
        var dump = Path.Combine(content, "genie.dump");
        await File.WriteAllBytesAsync(dump, (await File.ReadAllBytesAsync(dump))[..200]); // cut short, as by a full disk
        var damaged = Path.Combine(state.Path, "damaged.backup");
        Tar("-C", content, "-czf", damaged, "MANIFEST", "genie.dump");

        var result = await BackupScripts.RestoreAsync(["--force", damaged], Environment(target, state));

        Assert.NotEqual(0, result.ExitCode);
        Assert.StartsWith($"error: {damaged} holds a damaged database dump:", result.Error);
        Assert.DoesNotContain('\n', result.Error);
        Assert.Equal(["kept"], await RowsAsync(target));
    }

    [Fact]
    public async Task An_unreachable_server_is_reported_in_one_line_without_its_password()
    {
        using var state = new StateDirectory();
        var file = Path.Combine(state.Path, "genie.backup");
        var closedPort = FreePort.Next();

        var result = await BackupScripts.BackupAsync(file, Environment($"Host=127.0.0.1;Port={closedPort};Username=genie;Password=s3cret-pass;Database=genie", state));

        Assert.NotEqual(0, result.ExitCode);
        Assert.StartsWith($"error: cannot reach PostgreSQL at 127.0.0.1:{closedPort}:", result.Error);
        Assert.DoesNotContain('\n', result.Error);
        Assert.DoesNotContain("s3cret-pass", result.Error + result.Output);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task A_restore_into_a_database_that_holds_tables_needs_force()
    {
        var source = await TargetWithOneRowAsync("backed up");
        using var state = new StateDirectory();
        var file = Path.Combine(state.Path, "genie.backup");
        Assert.Equal(0, (await BackupScripts.BackupAsync(file, Environment(source, state))).ExitCode);
        var target = await TargetWithOneRowAsync();

        var refused = await BackupScripts.RestoreAsync([file], Environment(target, state));
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("already holds 1 tables; use --force", refused.Error);
        Assert.Equal(["kept"], await RowsAsync(target));

        var forced = await BackupScripts.RestoreAsync(["--force", file], Environment(target, state));
        Assert.True(forced.ExitCode == 0, forced.Error);
        Assert.Equal(["backed up"], await RowsAsync(target));
    }

    private static void Tar(params string[] arguments) => OsUser.ForPostgres().Run("tar", arguments, "tar", direct: true);

    private static Dictionary<string, string> Environment(string connectionString, StateDirectory state) => new()
    {
        ["ConnectionStrings__genie"] = connectionString,
        ["Genie__StateDirectory"] = state.Path,
    };

    private static async Task<string> TargetWithOneRowAsync(string row = "kept")
    {
        var connectionString = await (await PostgresCluster.GetSharedAsync()).CreateDatabaseAsync("backup");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("create table notes (text text); insert into notes values (@row)", connection);
        command.Parameters.AddWithValue("row", row);
        await command.ExecuteNonQueryAsync();
        return connectionString;
    }

    private static async Task<List<string>> RowsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select text from notes order by text", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(reader.GetString(0));
        return rows;
    }
}
