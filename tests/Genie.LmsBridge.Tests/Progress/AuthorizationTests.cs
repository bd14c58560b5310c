using Genie.Contracts.Lms.V1;
using Genie.Testing.Hosts;
using Grpc.Core;

namespace Genie.LmsBridge.Tests.Progress;

public sealed class AuthorizationTests : IAsyncLifetime
{
    private LmsBridgeTestHost _host = null!;
    private PortalScenario _portal = null!;

    public async Task InitializeAsync()
    {
        _host = await LmsBridgeTestHost.StartAsync();
        _portal = new PortalScenario(_host.TalentLms.Data);
        await _host.SyncAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_learner_cannot_read_another_learners_progress()
    {
        var ann = _host.Client("learner", "ann.lee@example.com");

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await ann.GetLearnerProgressAsync(new GetLearnerProgressRequest { Email = "bob.stone@example.com" }));
        var own = await ann.GetLearnerProgressAsync(new GetLearnerProgressRequest { Email = "ANN.LEE@example.com" });

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal(25, Assert.Single(own.Courses).CompletionPercent);
    }

    [Fact]
    public async Task An_instructor_sees_learners_only_in_the_courses_they_teach()
    {
        var ivy = _host.Client("instructor", "ivy@example.com");

        var bob = await ivy.GetLearnerProgressAsync(new GetLearnerProgressRequest { Email = "bob.stone@example.com" });
        var carl = await Assert.ThrowsAsync<RpcException>(async () =>
            await ivy.GetLearnerProgressAsync(new GetLearnerProgressRequest { Email = "carl@example.com" }));

        Assert.Equal(["Git basics"], bob.Courses.Select(c => c.CourseName));
        Assert.Equal(StatusCode.PermissionDenied, carl.StatusCode);
    }

    [Fact]
    public async Task Team_progress_is_the_instructors_scope_and_everything_for_admins()
    {
        var ivy = _host.Client("instructor", "ivy@example.com");

        var team = await ivy.GetTeamProgressAsync(new GetTeamProgressRequest());
        var other = await Assert.ThrowsAsync<RpcException>(async () =>
            await ivy.GetTeamProgressAsync(new GetTeamProgressRequest { CourseId = _portal.Docker.Id }));
        var all = await _host.Admin().GetTeamProgressAsync(new GetTeamProgressRequest());
        var learner = await Assert.ThrowsAsync<RpcException>(async () =>
            await _host.Client("learner", "ann.lee@example.com").GetTeamProgressAsync(new GetTeamProgressRequest()));

        Assert.Equal([("ann.lee@example.com", 25, 1), ("bob.stone@example.com", 0, 0)],
            team.Rows.Select(r => (r.Email, r.CompletionPercent, r.FailedTests)));
        Assert.Equal(StatusCode.PermissionDenied, other.StatusCode);
        Assert.Equal(4, all.Rows.Count);
        Assert.Equal(StatusCode.PermissionDenied, learner.StatusCode);
    }

    [Fact]
    public async Task An_instructor_assigns_their_course_through_TalentLms_and_no_other()
    {
        var ivy = _host.Client("instructor", "ivy@example.com");

        var assigned = await ivy.AssignCourseAsync(new AssignCourseRequest { LearnerEmail = "carl@example.com", CourseId = _portal.Git.Id });
        var again = await ivy.AssignCourseAsync(new AssignCourseRequest { LearnerEmail = "carl@example.com", CourseId = _portal.Git.Id });
        var outside = await Assert.ThrowsAsync<RpcException>(async () =>
            await ivy.AssignCourseAsync(new AssignCourseRequest { LearnerEmail = "ann.lee@example.com", CourseId = _portal.Docker.Id }));
        var byLearner = await Assert.ThrowsAsync<RpcException>(async () =>
            await _host.Client("learner", "ann.lee@example.com").AssignCourseAsync(new AssignCourseRequest { LearnerEmail = "ann.lee@example.com", CourseId = _portal.Git.Id }));
        var unknown = await Assert.ThrowsAsync<RpcException>(async () =>
            await ivy.AssignCourseAsync(new AssignCourseRequest { LearnerEmail = "nobody@example.com", CourseId = _portal.Git.Id }));

        Assert.Equal((_portal.Carl.Id, false), (assigned.TalentlmsUserId, assigned.AlreadyEnrolled));
        Assert.True(_host.TalentLms.Data.IsEnrolled(_portal.Carl, _portal.Git));
        Assert.True(again.AlreadyEnrolled);
        Assert.Contains(_host.TalentLms.Requests, r => r == "POST /api/v1/addusertocourse");
        var carl = await _host.Client("learner", "carl@example.com").GetMyProgressAsync(new GetMyProgressRequest());
        Assert.Contains(carl.Courses, c => c.CourseId == _portal.Git.Id && c.CompletionPercent == 0);
        Assert.Equal(StatusCode.PermissionDenied, outside.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, byLearner.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, unknown.StatusCode);
        Assert.Contains("nobody@example.com", unknown.Status.Detail);
    }

    [Fact]
    public async Task Settings_and_sync_are_for_admins_only()
    {
        var ivy = _host.Client("instructor", "ivy@example.com");

        var settings = await Assert.ThrowsAsync<RpcException>(async () => await ivy.GetLmsSettingsAsync(new GetLmsSettingsRequest()));
        var sync = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in ivy.SyncNow(new SyncNowRequest()).ResponseStream.ReadAllAsync())
            {
            }
        });

        Assert.Equal(StatusCode.PermissionDenied, settings.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, sync.StatusCode);
    }
}
