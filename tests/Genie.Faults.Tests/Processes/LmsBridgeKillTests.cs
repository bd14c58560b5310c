using Genie.Contracts.Lms.V1;
using Genie.Faults.Tests.Dependencies;
using Genie.LmsBridge.Sync;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Genie.Testing;
using Genie.Testing.FakeTalentLms;
using Grpc.Core;
using Grpc.Net.Client;

namespace Genie.Faults.Tests.Processes;

/// <summary>
/// LmsBridge as its own OS process, syncing from the TalentLMS fake, is killed with SIGKILL in the middle of a sync:
/// the previous snapshot stays as it was, the interrupted run is marked failed when the service is back, and the next
/// sync brings in what changed.
/// </summary>
public sealed class LmsBridgeKillTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task LmsBridge_killed_mid_sync_keeps_the_previous_snapshot_marks_the_run_failed_and_the_next_sync_completes()
    {
        await using var talentLms = await FakeTalentLmsServer.StartAsync();
        var course = talentLms.Data.AddCourse("Git basics");
        talentLms.Data.AddUnit(course, "Branches");
        foreach (var name in new[] { "ann", "bob" })
            talentLms.Data.Enroll(talentLms.Data.AddUser($"{name}@example.test", name, "Learner"), course);
        var database = await (await PostgresCluster.GetSharedAsync()).CreateDatabaseAsync("lms_kill");
        var signingKey = AuthOptions.GenerateKey();
        var tokens = new TokenService(new AuthOptions { SigningKey = AuthOptions.DecodeKey(signingKey) });
        var admin = BearerToken.Options(tokens.Issue("admin-1", "admin-1@example.test", "Admin", Roles.Admin), TimeSpan.FromMinutes(3));
        using var patience = new CancellationTokenSource(Patience);

        var lmsBridge = LoopbackService.Create("lmsbridge", database, signingKey);
        await using var first = await lmsBridge.StartAsync(Patience);
        using var channel = GrpcChannel.ForAddress(lmsBridge.Grpc);
        var client = new LmsService.LmsServiceClient(channel);
        await client.SetLmsSettingsAsync(new SetLmsSettingsRequest { Domain = talentLms.Domain, ApiKey = talentLms.ApiKey }, admin);
        Assert.Equal(SyncState.Succeeded, (await SyncAsync(client, admin, patience.Token)).State);
        Assert.Equal(2, await UsersAsync(database));

        // A new hire joins; the next sync stalls on the course's details and the process is killed there.
        talentLms.Data.Enroll(talentLms.Data.AddUser("cora@example.test", "cora", "Learner"), course);
        var detailRequests = CourseDetailRequests(talentLms);
        talentLms.DelayOnce("courses/id:", TimeSpan.FromMinutes(2));
        var stalled = SyncAsync(client, admin, patience.Token);
        while (CourseDetailRequests(talentLms) == detailRequests)
            await Task.Delay(20, patience.Token);
        await first.KillAsync();
        await Assert.ThrowsAsync<RpcException>(() => stalled);

        Assert.Equal(2, await UsersAsync(database)); // the previous snapshot, untouched
        Assert.Equal(1, await StoredMessages.CountAsync(database, "select count(*) from lms.sync_runs where state = 'running'"));

        await using var restarted = await lmsBridge.StartAsync(Patience);
        var runs = (await client.ListSyncRunsAsync(new ListSyncRunsRequest(), admin)).Runs;
        Assert.Equal(2, runs.Count);
        Assert.Equal((SyncState.Failed, SyncRunLog.InterruptedError), (runs[0].State, runs[0].Error));

        var next = await SyncAsync(client, admin, patience.Token);
        Assert.Equal(SyncState.Succeeded, next.State);
        Assert.Equal(3, next.Users);
        Assert.Equal(3, await UsersAsync(database));
        Assert.Equal(3, await StoredMessages.CountAsync(database, "select count(*) from lms.enrollments"));
    }

    private static int CourseDetailRequests(FakeTalentLmsServer talentLms) =>
        talentLms.Requests.Count(r => r.Contains("/courses/id:", StringComparison.Ordinal));

    private static Task<long> UsersAsync(string database) => StoredMessages.CountAsync(database, "select count(*) from lms.users");

    private static async Task<SyncRun> SyncAsync(LmsService.LmsServiceClient client, CallOptions admin, CancellationToken cancel)
    {
        using var call = client.SyncNow(new SyncNowRequest(), admin.WithCancellationToken(cancel));
        SyncRun? run = null;
        await foreach (var progress in call.ResponseStream.ReadAllAsync(cancel))
            run = progress.Run ?? run;
        return run ?? throw new Xunit.Sdk.XunitException("the sync's stream ended without its run");
    }
}
