using Genie.Contracts.Lms.V1;
using Genie.Testing.Hosts;
using Grpc.Core;

namespace Genie.LmsBridge.Tests.Progress;

/// <summary>The facts the Learning Bot states come from these rpcs; they must match TalentLMS exactly.</summary>
public sealed class ProgressTests : IAsyncLifetime
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
    public async Task My_progress_has_completion_next_unit_last_activity_and_test_scores()
    {
        var progress = await _host.Client("learner", "ann.lee@example.com").GetMyProgressAsync(new GetMyProgressRequest());

        Assert.True(progress.Matched);
        Assert.Equal("Ann Lee", progress.Name);
        Assert.NotNull(progress.DataAsOf);
        var git = Assert.Single(progress.Courses);
        Assert.Equal(("Git basics", 25, CourseStatus.InProgress), (git.CourseName, git.CompletionPercent, git.Status));
        Assert.Equal((4, 1), (git.UnitsTotal, git.UnitsCompleted));
        Assert.Equal(_portal.Branches.Id, git.NextUnit.UnitId);
        Assert.Equal(("Branches", 2, _portal.Branches.Url), (git.NextUnit.Name, git.NextUnit.Position, git.NextUnit.Url));
        Assert.Equal(PortalScenario.AnnQuizFailed, git.LastActivityAt.ToDateTimeOffset());
        var quiz = Assert.Single(git.TestScores);
        Assert.Equal(("Branching quiz", 50.0, false, 2, 1), (quiz.TestName, quiz.ScorePercent, quiz.Passed, quiz.QuestionsTotal, quiz.QuestionsWrong));
        Assert.Equal(25, progress.OverallCompletionPercent);
    }

    [Fact]
    public async Task The_next_unit_skips_completed_units_and_comes_back_to_a_failed_test()
    {
        _host.TalentLms.Data.CompleteUnit(_portal.Ann, _portal.Branches, new DateTimeOffset(2024, 3, 5, 9, 0, 0, TimeSpan.Zero));
        await _host.SyncAsync();

        var git = (await _host.Client("learner", "ann.lee@example.com").GetMyProgressAsync(new GetMyProgressRequest())).Courses[0];

        Assert.Equal(50, git.CompletionPercent);
        Assert.Equal(("Branching quiz", "Test", "Failed", 3), (git.NextUnit.Name, git.NextUnit.Type, git.NextUnit.StatusText, git.NextUnit.Position));
    }

    [Fact]
    public async Task Matching_by_email_ignores_case_and_an_unknown_email_is_unmatched()
    {
        var bob = await _host.Client("learner", "bob.stone@example.com").GetMyProgressAsync(new GetMyProgressRequest());
        var stranger = await _host.Client("learner", "new.hire@example.com").GetMyProgressAsync(new GetMyProgressRequest());

        Assert.True(bob.Matched);
        Assert.Equal(["Docker 101", "Git basics"], bob.Courses.Select(c => c.CourseName));
        Assert.All(bob.Courses, c => Assert.Equal(CourseStatus.NotStarted, c.Status));
        Assert.Equal("What is a container", bob.Courses[0].NextUnit.Name);
        Assert.False(stranger.Matched);
        Assert.Empty(stranger.Courses);
    }

    [Fact]
    public async Task The_last_test_result_lists_what_was_answered_wrong()
    {
        var result = await _host.Client("learner", "ann.lee@example.com").GetLastTestResultAsync(new GetLastTestResultRequest());
        var none = await _host.Client("learner", "carl@example.com").GetLastTestResultAsync(new GetLastTestResultRequest());

        Assert.True(result.Found);
        Assert.Equal(("Git basics", "Branching quiz", 50.0), (result.CourseName, result.Score.TestName, result.Score.ScorePercent));
        var wrong = Assert.Single(result.Questions, q => !q.Correct);
        Assert.Equal("What does git rebase do?", wrong.Text);
        Assert.Equal(["Deletes commits"], wrong.UserAnswers);
        Assert.Equal(["Replays commits onto another base"], wrong.CorrectAnswers);
        Assert.False(none.Found);
    }

    [Fact]
    public async Task Course_detail_shows_units_in_order_with_the_callers_status()
    {
        var ann = _host.Client("learner", "ann.lee@example.com");

        var course = await ann.GetCourseAsync(new GetCourseRequest { CourseId = _portal.Git.Id });
        var denied = await Assert.ThrowsAsync<RpcException>(async () => await ann.GetCourseAsync(new GetCourseRequest { CourseId = _portal.Docker.Id }));
        var assigned = await ann.ListAssignedCoursesAsync(new ListAssignedCoursesRequest());

        Assert.Equal(["Getting started", "Introduction", "Branches", "Branching quiz", "Rebasing"], course.Units.Select(u => u.Name));
        Assert.True(course.Units[0].IsSection);
        Assert.True(course.Units[1].Completed);
        Assert.Equal(("Failed", "50"), (course.Units[3].StatusText, course.Units[3].Score));
        Assert.Equal(25, course.MyProgress.CompletionPercent);
        Assert.Equal(2, course.Learners);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Equal(_portal.Git.Id, Assert.Single(assigned.Courses).CourseId);
    }

    [Fact]
    public async Task Invalid_ids_are_rejected_with_the_field()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _host.Admin().GetCourseAsync(new GetCourseRequest { CourseId = "abc" }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("course_id:", error.Status.Detail);
    }
}
