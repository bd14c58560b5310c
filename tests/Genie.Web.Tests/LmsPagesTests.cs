using System.Net;
using Genie.Contracts.Lms.V1;
using Genie.ServiceDefaults.Auth;
using Genie.Testing.FakeTalentLms;
using Genie.Testing.Hosts;
using Genie.Web.Tests.Infrastructure;

namespace Genie.Web.Tests;

/// <summary>
/// The LMS pages against a real LmsBridge (real gRPC, its own database) and a fake TalentLMS:
/// settings and sync as the admin, progress as learners, the team view as an instructor.
/// </summary>
public sealed class LmsPagesTests(LmsPagesTests.Fixture fixture) : IClassFixture<LmsPagesTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public LmsBridgeTestHost Lms { get; private set; } = null!;
        public PortalHost Portal { get; private set; } = null!;
        public FakeTalentLmsData Data => Lms.TalentLms.Data;
        public FakeUser Ann { get; private set; } = null!;
        public FakeUser Carl { get; private set; } = null!;
        public FakeCourse Git { get; private set; } = null!;
        public FakeCourse Docker { get; private set; } = null!;
        public TestUser AnnInPortal { get; private set; } = null!;
        public TestUser IvyInPortal { get; private set; } = null!;
        public TestUser ZoeInPortal { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Lms = await LmsBridgeTestHost.StartAsync(connectTalentLms: false); // the admin connects it through the settings page
            Portal = await PortalHost.StartAsync(Lms.ClientSettings);

            // Ivy teaches Git basics (Ann, Bob); Docker 101 has Bob and Carl. Ann failed the quiz.
            Ann = Data.AddUser("ann.lee@example.com", "Ann", "Lee");
            var bob = Data.AddUser("bob@example.com", "Bob", "Stone");
            Carl = Data.AddUser("carl@example.com", "Carl", "Diaz");
            var ivy = Data.AddUser("ivy@example.com", "Ivy", "Chen", "Instructor-Type");
            Git = Data.AddCourse("Git basics", "GIT-101");
            Data.AddUnit(Git, "Getting started", "Section");
            var intro = Data.AddUnit(Git, "Introduction");
            Data.AddUnit(Git, "Branches");
            var quiz = Data.AddUnit(Git, "Branching quiz", "Test");
            Data.AddUnit(Git, "Rebasing");
            Docker = Data.AddCourse("Docker 101", "DOC-101");
            var container = Data.AddUnit(Docker, "What is a container");
            Data.AddUnit(Docker, "First image");
            Data.Enroll(ivy, Git, "instructor");
            Data.Enroll(Ann, Git);
            Data.Enroll(bob, Git);
            Data.Enroll(bob, Docker);
            Data.Enroll(Carl, Docker);
            Data.CompleteUnit(Ann, intro, new DateTimeOffset(2024, 3, 1, 10, 0, 0, TimeSpan.Zero));
            Data.RecordTest(Ann, quiz, 50, passed: false, new DateTimeOffset(2024, 3, 2, 11, 0, 0, TimeSpan.Zero),
                new FakeQuestion("What does git rebase do?", false, ["Deletes commits"], ["Replays commits onto another base"]),
                new FakeQuestion("Which command creates a branch?", true, ["git branch"], ["git branch"]));
            Data.CompleteUnit(bob, container, new DateTimeOffset(2024, 3, 3, 9, 0, 0, TimeSpan.Zero));

            AnnInPortal = await Portal.CreateAsync(Roles.Learner, "ann.lee@example.com", "Ann Lee");
            IvyInPortal = await Portal.CreateAsync(Roles.Instructor, "ivy@example.com", "Ivy Chen");
            ZoeInPortal = await Portal.CreateAsync(Roles.Learner, "zoe@example.com", "Zoe Park");

            // The admin configures TalentLMS and syncs through the settings page (no script: runs to the end).
            using var admin = await Portal.SignedInAdminAsync();
            var save = await admin.PostFormAsync("/Admin/Lms",
            [
                new("Form.Domain", Lms.TalentLms.Domain),
                new("Form.ApiKey", Lms.TalentLms.ApiKey),
                new("Form.SyncIntervalMinutes", "60"),
                new("Form.NoProgressDays", "7"),
                new("Form.DueSoonDays", "3"),
            ], "/Admin/Lms?handler=Save");
            if (save.StatusCode != HttpStatusCode.Redirect)
                throw new InvalidOperationException("Saving the LMS settings answered " + (int)save.StatusCode + ": " + await save.Content.ReadAsStringAsync());
            var sync = await admin.PostFormAsync("/Admin/Lms", [], "/Admin/Lms?handler=Sync");
            if (sync.StatusCode != HttpStatusCode.Redirect)
                throw new InvalidOperationException("Sync answered " + (int)sync.StatusCode);
        }

        public async Task DisposeAsync()
        {
            await Portal.DisposeAsync();
            await Lms.DisposeAsync();
        }
    }

    [Fact]
    public async Task Settings_page_never_shows_the_api_key_only_its_last_characters()
    {
        using var admin = await fixture.Portal.SignedInAdminAsync();
        var (response, page) = await admin.GetPageAsync("/Admin/Lms");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = page.DocumentElement.OuterHtml;
        Assert.DoesNotContain(fixture.Lms.TalentLms.ApiKey, html);
        Assert.Contains($"ends in {fixture.Lms.TalentLms.ApiKey[^4..]}", page.QuerySelector("[data-test=api-key-state]")!.TextContent);
        Assert.Equal(fixture.Lms.TalentLms.Domain, page.QuerySelector("input[name='Form.Domain']")!.GetAttribute("value"));
        Assert.Equal("", page.QuerySelector("input[name='Form.ApiKey']")!.GetAttribute("value"));
        var lastRun = page.QuerySelector("[data-test=sync-runs] tbody tr")!;
        Assert.Equal("succeeded", lastRun.GetAttribute("data-state"));
    }

    [Fact]
    public async Task A_wrong_api_key_shows_talentlms_own_error_and_changes_nothing()
    {
        using var admin = await fixture.Portal.SignedInAdminAsync();
        const string wrongKey = "wrong-key-0000000000";
        var response = await admin.PostFormAsync("/Admin/Lms", [new("Form.Domain", fixture.Lms.TalentLms.Domain), new("Form.ApiKey", wrongKey)], "/Admin/Lms?handler=Test");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = PortalBrowser.Parse(await response.Content.ReadAsStringAsync());
        var result = page.QuerySelector("[data-test=test-result]")!;
        Assert.Equal("false", result.GetAttribute("data-ok"));
        Assert.Contains("(HTTP 401)", result.TextContent);
        var error = page.QuerySelector("[data-test=test-error]")!.TextContent;
        Assert.StartsWith("TalentLMS rejected the API key:", error);
        Assert.Contains("Invalid API key", error, StringComparison.OrdinalIgnoreCase); // TalentLMS's own message, relayed
        Assert.DoesNotContain(wrongKey, page.DocumentElement.OuterHtml);

        // The stored key still works.
        var again = await admin.PostFormAsync("/Admin/Lms", [new("Form.Domain", ""), new("Form.ApiKey", "")], "/Admin/Lms?handler=Test");
        var ok = PortalBrowser.Parse(await again.Content.ReadAsStringAsync()).QuerySelector("[data-test=test-result]")!;
        Assert.Equal("true", ok.GetAttribute("data-ok"));
        Assert.Contains("4 users, 2 courses", ok.TextContent);
    }

    [Fact]
    public async Task Sync_now_streams_progress_as_server_sent_events()
    {
        using var admin = await fixture.Portal.SignedInAdminAsync();
        var (_, page) = await admin.GetPageAsync("/Admin/Lms");
        var token = page.QuerySelector("form[data-stream] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var request = new HttpRequestMessage(HttpMethod.Post, "/Admin/Lms?handler=Sync")
        {
            Content = new FormUrlEncodedContent([new("__RequestVerificationToken", token)]),
        };
        request.Headers.Accept.ParseAdd("text/event-stream");
        var response = await admin.SendAsync(request);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var events = SseParser.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(events, e => e.Name == "progress");
        var done = Assert.Single(events, e => e.Name == "done");
        Assert.Same(done, events[^1]);
        Assert.Equal("succeeded", done.Data.GetProperty("state").GetString());
        Assert.StartsWith("Sync succeeded: 4 users, 2 courses", done.Data.GetProperty("summary").GetString());
    }

    [Fact]
    public async Task Progress_page_shows_exactly_what_lmsbridge_reports()
    {
        var expected = await fixture.Lms.Client(Roles.Learner, fixture.AnnInPortal.Email).GetMyProgressAsync(new GetMyProgressRequest());
        var git = expected.Courses.Single(c => c.CourseName == "Git basics");
        Assert.True(expected.Matched);

        using var ann = await fixture.Portal.SignedInClientAsync(fixture.AnnInPortal);
        var (response, page) = await ann.GetPageAsync("/Learn/Progress");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"{expected.OverallCompletionPercent}%", page.QuerySelector("[data-test=overall]")!.TextContent);
        var card = page.QuerySelector($"[data-course='{git.CourseId}']")!;
        Assert.Equal($"{git.CompletionPercent}%", card.QuerySelector("[data-test=percent]")!.TextContent);
        Assert.Equal(git.CompletionPercent.ToString(), card.QuerySelector("progress[data-test=completion]")!.GetAttribute("value"));
        Assert.Equal("1 of 4", card.QuerySelector("[data-test=units]")!.TextContent);
        Assert.Equal($"{git.UnitsCompleted} of {git.UnitsTotal}", card.QuerySelector("[data-test=units]")!.TextContent);
        var next = card.QuerySelector("[data-test=next-unit]")!;
        Assert.Contains(git.NextUnit.Name, next.TextContent);
        Assert.Equal("Branches", git.NextUnit.Name);
        Assert.Equal(git.NextUnit.Url, next.QuerySelector("a")!.GetAttribute("href"));
        var quizRow = card.QuerySelector("[data-test=test-scores] tbody tr")!;
        Assert.Contains("Branching quiz", quizRow.TextContent);
        Assert.Contains("50%", quizRow.TextContent);

        var lastTest = page.QuerySelector("[data-test=last-test]")!;
        var wrong = Assert.Single(lastTest.QuerySelectorAll("[data-correct=false]"));
        Assert.Contains("What does git rebase do?", wrong.TextContent);
        Assert.Equal("Deletes commits", wrong.QuerySelector("[data-test=your-answer]")!.TextContent);
        Assert.Equal("Replays commits onto another base", wrong.QuerySelector("[data-test=correct-answer]")!.TextContent);
        Assert.Contains("1 of 2 questions wrong", lastTest.TextContent);
    }

    [Fact]
    public async Task A_learner_without_a_talentlms_account_sees_the_not_linked_state()
    {
        using var zoe = await fixture.Portal.SignedInClientAsync(fixture.ZoeInPortal);
        var (response, page) = await zoe.GetPageAsync("/Learn/Progress");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("zoe@example.com", page.QuerySelector("[data-test=not-linked]")!.TextContent);
        Assert.Null(page.QuerySelector("[data-course]"));
    }

    [Fact]
    public async Task Reminders_show_on_home_and_progress_and_dismissing_one_removes_it()
    {
        using var ann = await fixture.Portal.SignedInClientAsync(fixture.AnnInPortal);
        var (_, home) = await ann.GetPageAsync("/");
        var reminder = home.QuerySelector("[data-test=reminders] [data-reminder]")!;
        Assert.Contains("Branching quiz", reminder.TextContent);
        var id = reminder.GetAttribute("data-reminder")!;
        var (_, progress) = await ann.GetPageAsync("/Learn/Progress");
        Assert.NotNull(progress.QuerySelector($"[data-reminder='{id}']"));

        var dismissed = await ann.PostFormAsync("/", [new("id", id), new("returnUrl", "/")], "/Learn/Progress?handler=Acknowledge");
        Assert.Equal(HttpStatusCode.Redirect, dismissed.StatusCode);
        Assert.Equal("/", dismissed.Headers.Location!.OriginalString);
        var (_, after) = await ann.GetPageAsync("/");
        Assert.Null(after.QuerySelector($"[data-reminder='{id}']"));
        var open = await fixture.Lms.Client(Roles.Learner, fixture.AnnInPortal.Email).ListRemindersAsync(new ListRemindersRequest());
        Assert.DoesNotContain(open.Reminders, r => r.Id == id);
    }

    [Fact]
    public async Task A_learner_cannot_dismiss_someone_elses_reminder()
    {
        var annReminders = await fixture.Lms.Client(Roles.Learner, fixture.AnnInPortal.Email).ListRemindersAsync(new ListRemindersRequest { IncludeClosed = true });
        var id = annReminders.Reminders.First().Id;
        using var zoe = await fixture.Portal.SignedInClientAsync(fixture.ZoeInPortal);
        var response = await zoe.PostFormAsync("/Learn/Progress", [new("id", id)], "/Learn/Progress?handler=Acknowledge");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var (_, page) = await zoe.GetPageAsync("/Learn/Progress");
        Assert.NotNull(page.QuerySelector(".alert-error"));
    }

    [Fact]
    public async Task Instructor_sees_only_the_courses_they_teach_with_a_chart_and_filters()
    {
        using var ivy = await fixture.Portal.SignedInClientAsync(fixture.IvyInPortal);
        var (response, page) = await ivy.GetPageAsync("/Dashboard/Team");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = page.QuerySelectorAll("[data-test=team-table] tbody tr");
        Assert.Equal(["ann.lee@example.com", "bob@example.com"], rows.Select(r => r.GetAttribute("data-email")!).Order().ToArray());
        Assert.All(rows, r => Assert.Equal(fixture.Git.Id, r.GetAttribute("data-course")));
        var expected = await fixture.Lms.Client(Roles.Instructor, fixture.IvyInPortal.Email).GetTeamProgressAsync(new GetTeamProgressRequest());
        var annRow = expected.Rows.Single(r => r.Email == "ann.lee@example.com");
        Assert.Equal($"{annRow.CompletionPercent}%", page.QuerySelector("tr[data-email='ann.lee@example.com'] [data-test=percent]")!.TextContent);

        var bar = Assert.Single(page.QuerySelectorAll("[data-chart=team-completion] .chart-row"));
        Assert.Equal("Git basics", bar.GetAttribute("data-label"));
        var average = Math.Round(expected.Rows.Average(r => r.CompletionPercent));
        Assert.Equal(average.ToString(System.Globalization.CultureInfo.InvariantCulture), bar.GetAttribute("data-value"));

        var (_, failed) = await ivy.GetPageAsync("/Dashboard/Team?status=failed-tests");
        var failedRow = Assert.Single(failed.QuerySelectorAll("[data-test=team-table] tbody tr"));
        Assert.Equal("ann.lee@example.com", failedRow.GetAttribute("data-email"));
        var (_, search) = await ivy.GetPageAsync("/Dashboard/Team?q=bob");
        Assert.Equal("bob@example.com", Assert.Single(search.QuerySelectorAll("[data-test=team-table] tbody tr")).GetAttribute("data-email"));
    }

    [Fact]
    public async Task Assigning_a_course_enrols_in_talentlms_within_the_instructors_scope()
    {
        using var ivy = await fixture.Portal.SignedInClientAsync(fixture.IvyInPortal);
        var refused = await ivy.PostFormAsync("/Dashboard/Team", [new("learnerEmail", "ann.lee@example.com"), new("courseId", fixture.Docker.Id)], "/Dashboard/Team?handler=Assign");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        var (_, afterRefusal) = await ivy.GetPageAsync("/Dashboard/Team");
        Assert.Contains("Could not assign the course", afterRefusal.QuerySelector(".alert-error")!.TextContent);
        Assert.False(fixture.Data.IsEnrolled(fixture.Ann, fixture.Docker));

        var assigned = await ivy.PostFormAsync("/Dashboard/Team", [new("learnerEmail", "carl@example.com"), new("courseId", fixture.Git.Id)], "/Dashboard/Team?handler=Assign");
        Assert.Equal(HttpStatusCode.Redirect, assigned.StatusCode);
        Assert.True(fixture.Data.IsEnrolled(fixture.Carl, fixture.Git));
        var (_, page) = await ivy.GetPageAsync("/Dashboard/Team");
        Assert.Contains("carl@example.com is now enrolled", page.QuerySelector(".alert-success")!.TextContent);
    }
}
