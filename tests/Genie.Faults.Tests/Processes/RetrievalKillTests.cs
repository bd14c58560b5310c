using System.Text;
using Genie.Contracts.Retrieval.V1;
using Genie.Faults.Tests.Dependencies;
using Genie.Retrieval.Ingestion;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Genie.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Genie.Faults.Tests.Processes;

/// <summary>
/// Two Retrieval replicas, each its own OS process (the service's build output) over one database, with a folder
/// source: replica A is killed with SIGKILL while it indexes the second sync. The previous good index stays whole
/// (each document old or new, never half), calls that may be retried still succeed through the other replica, the
/// interrupted run is marked failed, and the next sync brings the index to the folder's final state.
/// </summary>
public sealed class RetrievalKillTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Documents = 24;
    private const int Changed = 12;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Retrieval_killed_mid_sync_keeps_the_previous_index_whole_marks_the_run_failed_and_the_next_sync_completes()
    {
        var database = await (await PostgresCluster.GetSharedAsync()).CreateDatabaseAsync("retrieval_kill");
        var signingKey = AuthOptions.GenerateKey();
        var folder = Directory.CreateTempSubdirectory("genie-kill-sync-").FullName;
        using var patience = new CancellationTokenSource(Patience);
        for (var i = 0; i < Documents; i++)
            await File.WriteAllTextAsync(Path.Combine(folder, FileName(i)), Page(i, revised: false));

        var a = Replica(database, signingKey);
        var b = Replica(database, signingKey);
        var replicas = await Task.WhenAll(a.StartAsync(Patience), b.StartAsync(Patience));
        await using var replicaA = replicas[0];
        await using var replicaB = replicas[1];
        var tokens = new TokenService(new AuthOptions { SigningKey = AuthOptions.DecodeKey(signingKey) });
        var admin = tokens.Issue("admin-1", "admin-1@example.test", "Admin", Roles.Admin);
        using var channelA = GrpcChannel.ForAddress(a.Grpc);
        var onA = new RetrievalService.RetrievalServiceClient(channelA);

        var kb = await onA.CreateKnowledgeBaseAsync(new CreateKnowledgeBaseRequest { Name = "Handbook", Grants = new Grants { Roles = { Roles.Learner } } },
            BearerToken.Options(admin));
        var source = await onA.AddSourceAsync(new AddSourceRequest
        {
            KnowledgeBaseId = kb.Id, Name = "handbook folder", Config = new SourceConfig { Folder = new FolderSourceConfig { Path = folder } },
        }, BearerToken.Options(admin));
        var first = await SyncAsync(onA, source, admin, patience.Token);
        Assert.Equal("succeeded", first.Status);
        Assert.Equal(Documents, first.Counts.Added);

        // Change half the pages, sync again on A, and kill A once some (not all) changed pages are committed.
        for (var i = 0; i < Changed; i++)
            await File.WriteAllTextAsync(Path.Combine(folder, FileName(i)), Page(i, revised: true));
        var secondSync = SyncAsync(onA, source, admin, patience.Token);
        long revised;
        while ((revised = await RevisedDocumentsAsync(database)) < 2 && !secondSync.IsCompleted)
            await Task.Delay(20, patience.Token);
        await replicaA.KillAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => secondSync); // its stream broke with the process
        var committed = await RevisedDocumentsAsync(database);
        output.WriteLine($"killed after {revised} revised pages were committed; {committed} at death");
        Assert.InRange(committed, 2, Changed - 1); // mid-sync: some revised pages in, some not

        // The previous good index is whole: every page there once, old or new, its row and chunks agreeing.
        await AssertIndexWholeAsync(database);
        Assert.Equal(1, await StoredMessages.CountAsync(database, "select count(*) from retrieval.sync_runs where status = 'running'"));

        // Retried calls succeed through replica B while A is dead; without the retry policy some would fail.
        var retried = ClientOverBoth(a, b, retry: true);
        var once = ClientOverBoth(a, b, retry: false);
        var learner = tokens.Issue("learner-1", "learner-1@example.test", "Learner", Roles.Learner);
        var refused = 0;
        for (var call = 0; call < 6; call++)
        {
            var listed = await retried.Client.ListKnowledgeBasesAsync(new ListKnowledgeBasesRequest(), BearerToken.Options(learner));
            Assert.Equal(kb.Id, Assert.Single(listed.KnowledgeBases).Id);
            try
            {
                await once.Client.ListKnowledgeBasesAsync(new ListKnowledgeBasesRequest(), BearerToken.Options(learner));
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                refused++;
            }
        }
        Assert.True(refused > 0, "calls spread over both replicas reach the dead one");
        await retried.Services.DisposeAsync();
        await once.Services.DisposeAsync();

        // Every page can be found while A is down, in its old or its new words.
        using var channelB = GrpcChannel.ForAddress(b.Grpc);
        var onB = new RetrievalService.RetrievalServiceClient(channelB);
        for (var i = 0; i < Documents; i++)
        {
            var found = await onB.SearchAsync(new SearchRequest { Query = CodeWord(i), Mode = "text", TopK = 3 }, BearerToken.Options(learner));
            Assert.Contains(found.Hits, h => h.Uri.EndsWith(FileName(i), StringComparison.Ordinal));
        }

        // A comes back (same ports, same database): the interrupted run is failed, not "running" for ever.
        await using var restartedA = await a.StartAsync(Patience);
        var runs = await onA.ListSyncRunsAsync(new ListSyncRunsRequest { SourceId = source.Id }, BearerToken.Options(admin));
        var dead = runs.Runs.Single(r => r.Id != first.Id);
        Assert.Equal("failed", dead.Status);
        Assert.Equal(SyncRunner.InterruptedError, dead.Error);
        Assert.Equal(0, await StoredMessages.CountAsync(database, "select count(*) from retrieval.sources where status = 'syncing'"));

        // The next sync finishes the job: only the pages not yet revised are indexed again.
        var third = await SyncAsync(onA, source, admin, patience.Token);
        Assert.Equal("succeeded", third.Status);
        Assert.Equal(Changed - committed, third.Counts.Updated);
        Assert.Equal(Documents - (Changed - committed), third.Counts.Unchanged);
        Assert.Equal(Changed, await RevisedDocumentsAsync(database));
        await AssertIndexWholeAsync(database);
        Directory.Delete(folder, recursive: true);
    }

    private static string FileName(int i) => $"page-{i:D2}.md";

    private static string CodeWord(int i) => $"codeword{i:D2}";

    /// <summary>A page long enough that indexing it takes a moment: many sections, each a chunk of its own.</summary>
    private static string Page(int i, bool revised)
    {
        var version = revised ? "revised" : "original";
        var page = new StringBuilder($"# Handbook page {i} ({CodeWord(i)})\n\n");
        for (var section = 0; section < 20; section++)
        {
            page.Append($"## Section {section} of page {i}\n\n");
            page.Append($"This is the {version} text of section {section}, marker {version}marker. ");
            page.Append(string.Join(' ', Enumerable.Repeat($"Employees read section {section} of page {i} before their first week starts.", 6)));
            page.Append("\n\n");
        }
        return page.ToString();
    }

    private static Task<long> RevisedDocumentsAsync(string database) => StoredMessages.CountAsync(database,
        "select count(*) from retrieval.documents d where exists (select 1 from retrieval.chunks c where c.document_id = d.id and c.text like '%revisedmarker%')");

    /// <summary>Each page once; its row's chunk count is its chunks' count; its chunks all of one version; no orphans.</summary>
    private static async Task AssertIndexWholeAsync(string database)
    {
        Assert.Equal(Documents, await StoredMessages.CountAsync(database, "select count(*) from retrieval.documents"));
        Assert.Equal(0, await StoredMessages.CountAsync(database,
            "select count(*) from retrieval.documents d where d.chunk_count <> (select count(*) from retrieval.chunks c where c.document_id = d.id)"));
        Assert.Equal(0, await StoredMessages.CountAsync(database,
            """
            select count(*) from retrieval.documents d
            where (select count(distinct c.text like '%revisedmarker%') from retrieval.chunks c where c.document_id = d.id and c.text like '%marker%') <> 1
            """));
        Assert.Equal(0, await StoredMessages.CountAsync(database,
            """
            select (select count(*) from retrieval.chunks c where not exists (select 1 from retrieval.documents d where d.id = c.document_id))
                 + (select count(*) from retrieval.sync_run_errors e where not exists (select 1 from retrieval.sync_runs r where r.id = e.run_id))
            """));
    }

    private static async Task<SyncRun> SyncAsync(RetrievalService.RetrievalServiceClient client, Source source, string token, CancellationToken cancel)
    {
        using var call = client.SyncSource(new SyncSourceRequest { SourceId = source.Id }, BearerToken.Options(token, TimeSpan.FromMinutes(3), cancel));
        SyncProgress? last = null;
        await foreach (var progress in call.ResponseStream.ReadAllAsync(cancel))
            last = progress;
        Assert.True(last?.Done, "the sync's stream ended without its final report");
        return new SyncRun { Id = last!.RunId, Status = last.Status, Counts = last.Counts, Error = last.Error };
    }

    /// <summary>The generated client as services get it (AddServiceClient), over both replicas; optionally without gRPC's retry.</summary>
    private static (ServiceProvider Services, RetrievalService.RetrievalServiceClient Client) ClientOverBoth(LoopbackService a, LoopbackService b, bool retry)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["services:retrieval:grpc:0"] = a.Grpc.ToString(),
            ["services:retrieval:grpc:1"] = b.Grpc.ToString(),
        }).Build());
        var client = services.AddServiceClient<RetrievalService.RetrievalServiceClient>("retrieval");
        if (!retry)
            client.ConfigureChannel(channel => channel.ServiceConfig = null);
        var provider = services.BuildServiceProvider();
        return (provider, provider.GetRequiredService<RetrievalService.RetrievalServiceClient>());
    }

    private static LoopbackService Replica(string database, string signingKey) =>
        LoopbackService.Create("retrieval", database, signingKey, new Dictionary<string, string>
        {
            ["Genie__Retrieval__Embedder__Provider"] = "builtin",
            ["Genie__Retrieval__SyncParallelism"] = "1", // one page at a time: the kill lands between two pages' commits
        });
}
