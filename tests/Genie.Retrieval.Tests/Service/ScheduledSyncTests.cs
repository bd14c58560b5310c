using Dapper;
using Genie.Contracts.Retrieval.V1;
using Genie.Retrieval.Ingestion;
using Grpc.Core;
using Genie.Testing.Hosts;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Genie.Retrieval.Tests.Service;

public class ScheduledSyncTests(RetrievalTestHost service) : IClassFixture<RetrievalTestHost>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("genie-schedule-").FullName;

    [Fact]
    public async Task A_source_whose_interval_elapsed_is_resynced_by_the_scheduler_and_rescheduled()
    {
        File.WriteAllText(Path.Combine(_folder, "a.md"), "# A\n\nThe capybaraclock chimes hourly.");
        var kb = await service.CreateKbAsync("scheduled");
        var source = await service.Client.AddSourceAsync(new AddSourceRequest
        {
            KnowledgeBaseId = kb.Id, Name = "folder", SyncIntervalMinutes = 60,
            Config = new SourceConfig { Folder = new FolderSourceConfig { Path = _folder } },
        }, service.Admin);
        Assert.True(source.NextSyncAt.ToDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(59));

        var scheduler = service.Host.Services.GetRequiredService<SyncScheduler>();
        Assert.Equal(0, await scheduler.RunDueAsync(default)); // not due yet

        await using (var db = NpgsqlDataSource.Create(service.ConnectionString))
        await using (var connection = await db.OpenConnectionAsync())
            await connection.ExecuteAsync("UPDATE retrieval.sources SET next_sync_at = now() - interval '1 minute' WHERE id = @id", new { id = Guid.Parse(source.Id) });
        Assert.Equal(1, await scheduler.RunDueAsync(default));

        var run = Assert.Single((await service.Client.ListSyncRunsAsync(new ListSyncRunsRequest { SourceId = source.Id }, service.Admin)).Runs);
        Assert.Equal(("schedule", "succeeded", 1), (run.Trigger, run.Status, run.Counts.Added));
        var after = (await service.Client.ListSourcesAsync(new ListSourcesRequest { KnowledgeBaseId = kb.Id }, service.Admin)).Sources.Single();
        Assert.Equal("ok", after.Status);
        Assert.True(after.NextSyncAt.ToDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(59));
        Assert.Equal(0, await scheduler.RunDueAsync(default));
    }

    [Fact]
    public async Task A_run_left_running_by_a_killed_process_is_marked_failed_but_not_while_a_live_sync_holds_its_source()
    {
        var kb = await service.CreateKbAsync("interrupted");
        var source = await service.Client.AddSourceAsync(new AddSourceRequest
        {
            KnowledgeBaseId = kb.Id, Name = "folder", Config = new SourceConfig { Folder = new FolderSourceConfig { Path = _folder } },
        }, service.Admin);
        var sourceId = Guid.Parse(source.Id);
        var runner = service.Host.Services.GetRequiredService<SyncRunner>();
        await using var db = NpgsqlDataSource.Create(service.ConnectionString);
        // What a process killed mid-sync leaves behind.
        await using (var connection = await db.OpenConnectionAsync())
            await connection.ExecuteAsync("""
            INSERT INTO retrieval.sync_runs (id, source_id, trigger, status) VALUES (@run, @sourceId, 'manual', 'running');
            UPDATE retrieval.sources SET status = 'syncing' WHERE id = @sourceId;
            """, new { run = Guid.CreateVersion7(), sourceId });

        await using (var liveSync = await db.OpenConnectionAsync()) // another replica, still syncing: it holds the source's lock
        {
            await liveSync.ExecuteAsync("SELECT pg_advisory_lock(hashtext('retrieval.sync'), hashtext(@id))", new { id = source.Id });
            Assert.Equal(0, await runner.FailInterruptedRunsAsync(default));
            await liveSync.ExecuteAsync("SELECT pg_advisory_unlock(hashtext('retrieval.sync'), hashtext(@id))", new { id = source.Id });
        }
        Assert.Equal(1, await runner.FailInterruptedRunsAsync(default));

        var run = Assert.Single((await service.Client.ListSyncRunsAsync(new ListSyncRunsRequest { SourceId = source.Id }, service.Admin)).Runs);
        Assert.Equal(("failed", SyncRunner.InterruptedError), (run.Status, run.Error));
        var after = (await service.Client.ListSourcesAsync(new ListSourcesRequest { KnowledgeBaseId = kb.Id }, service.Admin)).Sources.Single();
        Assert.Equal(("failed", SyncRunner.InterruptedError), (after.Status, after.LastError));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

public class UpdateSourceTests(RetrievalTestHost service) : IClassFixture<RetrievalTestHost>
{
    [Fact]
    public async Task Renaming_keeps_the_schedule_and_secrets_until_they_are_changed()
    {
        var kb = await service.CreateKbAsync("update-source");
        var source = await service.Client.AddSourceAsync(new AddSourceRequest
        {
            KnowledgeBaseId = kb.Id, Name = "notion", SyncIntervalMinutes = 30,
            Config = new SourceConfig { Mcp = new McpSourceConfig { Url = "http://127.0.0.1:9/mcp", Secrets = { ["Authorization"] = "Bearer a", ["X-Extra"] = "b" } } },
        }, service.Admin);

        var renamed = await service.Client.UpdateSourceAsync(new UpdateSourceRequest { Id = source.Id, Name = "notion wiki" }, service.Admin);
        Assert.Equal(("notion wiki", 30), (renamed.Name, renamed.SyncIntervalMinutes));
        Assert.Equal(["Authorization", "X-Extra"], renamed.SecretNames);

        var changed = await service.Client.UpdateSourceAsync(new UpdateSourceRequest
        {
            Id = source.Id, SyncIntervalMinutes = 0,
            Config = new SourceConfig { Mcp = new McpSourceConfig { Url = "http://127.0.0.1:9/mcp", Secrets = { ["X-Extra"] = "" } } },
        }, service.Admin);
        Assert.Equal(0, changed.SyncIntervalMinutes);
        Assert.Null(changed.NextSyncAt);
        Assert.Equal(["Authorization"], changed.SecretNames);

        var kindChange = await Assert.ThrowsAsync<RpcException>(async () => await service.Client.UpdateSourceAsync(
            new UpdateSourceRequest { Id = source.Id, Config = new SourceConfig { Upload = new UploadSourceConfig() } }, service.Admin));
        Assert.StartsWith("config:", kindChange.Status.Detail);
    }
}
