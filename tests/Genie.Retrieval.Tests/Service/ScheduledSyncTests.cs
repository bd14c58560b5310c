using Dapper;
using Genie.Contracts.Retrieval.V1;
using Genie.Retrieval.Ingestion;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Genie.Retrieval.Tests.Service;

public class ScheduledSyncTests(RetrievalServiceFixture service) : IClassFixture<RetrievalServiceFixture>, IDisposable
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

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
