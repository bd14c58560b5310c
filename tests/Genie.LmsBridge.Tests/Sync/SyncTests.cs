using System.Net;
using Dapper;
using Genie.Contracts.Lms.V1;
using Genie.LmsBridge.Sync;
using Genie.Testing.Hosts;
using Grpc.Core;

namespace Genie.LmsBridge.Tests.Sync;

public sealed class SyncTests : IAsyncLifetime
{
    private LmsBridgeTestHost _host = null!;
    private PortalScenario _portal = null!;

    public async Task InitializeAsync()
    {
        _host = await LmsBridgeTestHost.StartAsync();
        _portal = new PortalScenario(_host.TalentLms.Data);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task SyncNow_streams_progress_and_stores_courses_units_enrolments_progress_and_test_results()
    {
        var messages = new List<SyncProgress>();
        await foreach (var message in _host.Admin().SyncNow(new SyncNowRequest()).ResponseStream.ReadAllAsync())
            messages.Add(message);

        var last = messages[^1];
        Assert.Equal(SyncState.Succeeded, last.State);
        Assert.Contains(messages, m => m.State == SyncState.Running && m.Stage == $"course {_portal.Git.Id}");
        Assert.Equal((5, 2, 6), (last.Run.Users, last.Run.Courses, last.Run.Enrollments));
        await using var db = await _host.Db.OpenConnectionAsync();
        Assert.Equal(7, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM lms.units"));
        Assert.Equal("bob.stone@example.com", await db.ExecuteScalarAsync<string>("SELECT email FROM lms.users WHERE user_id = @id", new { id = _portal.Bob.Id }));
        var annGit = await db.QuerySingleAsync<(int Percent, DateTime LastActivity)>(
            "SELECT completion_percent, last_activity_at FROM lms.enrollments WHERE course_id = @c AND user_id = @u",
            new { c = _portal.Git.Id, u = _portal.Ann.Id });
        Assert.Equal(25, annGit.Percent);
        Assert.Equal(PortalScenario.AnnQuizFailed.UtcDateTime, annGit.LastActivity);
        Assert.Equal(4, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM lms.unit_progress WHERE user_id = @u", new { u = _portal.Ann.Id }));
        var test = await db.QuerySingleAsync<(double Score, bool Passed, string Questions)>(
            "SELECT score_percent, passed, questions::text FROM lms.test_results WHERE user_id = @u", new { u = _portal.Ann.Id });
        Assert.Equal((50.0, false), (test.Score, test.Passed));
        Assert.Contains("Replays commits onto another base", test.Questions);
    }

    [Fact]
    public async Task A_second_sync_fetches_only_enrolments_whose_progress_changed()
    {
        await _host.SyncAsync();
        _host.TalentLms.ClearRequestLog();
        _host.TalentLms.Data.CompleteUnit(_portal.Bob, _portal.DockerIntro, new DateTimeOffset(2024, 4, 1, 9, 0, 0, TimeSpan.Zero));

        var run = await _host.SyncAsync();

        var statusCalls = _host.TalentLms.Requests.Where(r => r.Contains("getuserstatusincourse", StringComparison.Ordinal)).ToList();
        Assert.Equal([$"GET /api/v1/getuserstatusincourse/course_id:{_portal.Docker.Id},user_id:{_portal.Bob.Id}"], statusCalls);
        Assert.Equal(5, run.SkippedUnchanged); // everyone but Bob in Docker, instructors included
        await using var db = await _host.Db.OpenConnectionAsync();
        Assert.Equal(50, await db.ExecuteScalarAsync<int>(
            "SELECT completion_percent FROM lms.enrollments WHERE course_id = @c AND user_id = @u", new { c = _portal.Docker.Id, u = _portal.Bob.Id }));
        Assert.Equal(1, await db.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM lms.test_results WHERE user_id = @u", new { u = _portal.Ann.Id }));
    }

    [Fact]
    public async Task A_429_during_sync_waits_for_the_reset_and_the_sync_succeeds()
    {
        _host.TalentLms.RateLimitNext(2, TimeSpan.FromMilliseconds(500));

        var run = await _host.SyncAsync();

        Assert.Equal(SyncStates.Succeeded, run.State);
        Assert.Equal(3, _host.TalentLms.Requests.Count(r => r == "GET /api/v1/users"));
        Assert.Equal(5, run.Users);
    }

    [Fact]
    public async Task A_malformed_course_payload_is_recorded_and_that_course_keeps_its_previous_data()
    {
        await _host.SyncAsync();
        _host.TalentLms.Data.CompleteUnit(_portal.Ann, _portal.Branches, new DateTimeOffset(2024, 3, 5, 9, 0, 0, TimeSpan.Zero));
        _host.TalentLms.Data.CompleteUnit(_portal.Bob, _portal.DockerIntro, new DateTimeOffset(2024, 4, 1, 9, 0, 0, TimeSpan.Zero));
        _host.TalentLms.RespondAlways($"courses/id:{_portal.Git.Id}", HttpStatusCode.OK, "{\"id\":\"" + _portal.Git.Id + "\",\"name\":\"Git basics\",\"units\":\"oops\"}");

        var run = await _host.SyncAsync();

        Assert.Equal(SyncStates.Partial, run.State);
        var failure = Assert.Single(run.Failures);
        Assert.Contains($"course {_portal.Git.Id} (Git basics)", failure);
        Assert.Contains("units", failure);
        await using var db = await _host.Db.OpenConnectionAsync();
        Assert.Equal(25, await db.ExecuteScalarAsync<int>(
            "SELECT completion_percent FROM lms.enrollments WHERE course_id = @c AND user_id = @u", new { c = _portal.Git.Id, u = _portal.Ann.Id }));
        Assert.Equal(5, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM lms.units WHERE course_id = @c", new { c = _portal.Git.Id }));
        Assert.Equal(50, await db.ExecuteScalarAsync<int>(
            "SELECT completion_percent FROM lms.enrollments WHERE course_id = @c AND user_id = @u", new { c = _portal.Docker.Id, u = _portal.Bob.Id }));
        var runs = await _host.Admin().ListSyncRunsAsync(new ListSyncRunsRequest());
        Assert.Equal(SyncState.Partial, runs.Runs[0].State);
        Assert.Equal(failure, Assert.Single(runs.Runs[0].Failures));
    }

    [Fact]
    public async Task A_malformed_user_list_fails_the_sync_and_changes_nothing()
    {
        await _host.SyncAsync();
        _host.TalentLms.Data.CompleteUnit(_portal.Bob, _portal.DockerIntro, new DateTimeOffset(2024, 4, 1, 9, 0, 0, TimeSpan.Zero));
        _host.TalentLms.RespondAlways("users", HttpStatusCode.OK, "[{\"id\":\"100\",\"email\":\"ann.lee@example.com\"},{\"login\":\"no-id\"}]");

        var run = await _host.SyncAsync();

        Assert.Equal(SyncStates.Failed, run.State);
        Assert.Contains("TalentLMS users returned an unexpected payload", run.Error);
        await using var db = await _host.Db.OpenConnectionAsync();
        Assert.Equal(5, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM lms.users"));
        Assert.Equal(0, await db.ExecuteScalarAsync<int>(
            "SELECT completion_percent FROM lms.enrollments WHERE course_id = @c AND user_id = @u", new { c = _portal.Docker.Id, u = _portal.Bob.Id }));
    }

    [Fact]
    public async Task A_failed_learner_detail_keeps_that_learner_previous_progress_and_is_retried_next_time()
    {
        await _host.SyncAsync();
        _host.TalentLms.Data.CompleteUnit(_portal.Ann, _portal.Branches, new DateTimeOffset(2024, 3, 5, 9, 0, 0, TimeSpan.Zero));
        _host.TalentLms.RespondOnce($"getuserstatusincourse/course_id:{_portal.Git.Id},user_id:{_portal.Ann.Id}", HttpStatusCode.NotFound,
            "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"The requested user does not exist\"}}");

        var partial = await _host.SyncAsync();
        var retried = await _host.SyncAsync();

        Assert.Equal(SyncStates.Partial, partial.State);
        Assert.Contains("The requested user does not exist", Assert.Single(partial.Failures));
        Assert.Equal(SyncStates.Succeeded, retried.State);
        await using var db = await _host.Db.OpenConnectionAsync();
        Assert.Equal(2, await db.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM lms.unit_progress WHERE course_id = @c AND user_id = @u AND completed", new { c = _portal.Git.Id, u = _portal.Ann.Id }));
    }

    [Fact]
    public async Task Users_and_enrolments_removed_in_TalentLms_are_removed_here()
    {
        await _host.SyncAsync();
        _host.TalentLms.Data.RemoveUser(_portal.Carl);

        await _host.SyncAsync();

        await using var db = await _host.Db.OpenConnectionAsync();
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM lms.users WHERE email = 'carl@example.com'"));
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM lms.enrollments WHERE user_id = @u", new { u = _portal.Carl.Id }));
    }

    [Fact]
    public async Task Without_settings_a_sync_fails_with_a_clear_message()
    {
        await using var host = await LmsBridgeTestHost.StartAsync(connectTalentLms: false);

        var run = await host.SyncAsync();

        Assert.Equal(SyncStates.Failed, run.State);
        Assert.Contains("TalentLMS is not configured", run.Error);
    }

    [Fact]
    public async Task A_second_sync_while_one_holds_the_lock_is_refused()
    {
        await using var holder = await _host.Db.OpenConnectionAsync();
        await holder.ExecuteAsync("SELECT pg_advisory_lock(1280136019)"); // LmsSync's key, "LMSS"

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in _host.Admin().SyncNow(new SyncNowRequest()).ResponseStream.ReadAllAsync())
            {
            }
        });

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Contains("already running", error.Status.Detail);
    }

    [Fact]
    public async Task A_run_left_running_by_a_stopped_process_is_closed_as_failed_by_the_next_sync()
    {
        await using (var db = await _host.Db.OpenConnectionAsync())
            await db.ExecuteAsync("INSERT INTO lms.sync_runs (trigger, state, started_at) VALUES ('scheduled', 'running', now() - interval '2 hours')");

        await _host.SyncAsync();

        var runs = (await _host.Admin().ListSyncRunsAsync(new ListSyncRunsRequest())).Runs;
        Assert.Equal([SyncState.Succeeded, SyncState.Failed], runs.Select(r => r.State));
        Assert.StartsWith("interrupted", runs[1].Error);
    }
}
