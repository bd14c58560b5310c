using System.Net;
using Genie.LmsBridge.TalentLms;
using Genie.Testing.FakeTalentLms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Genie.LmsBridge.Tests.TalentLms;

public sealed class TalentLmsClientTests : IAsyncLifetime
{
    private readonly List<ServiceProvider> _services = [];
    private FakeTalentLmsServer _lms = null!;

    public async Task InitializeAsync() => _lms = await FakeTalentLmsServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var services in _services)
            await services.DisposeAsync();
        await _lms.DisposeAsync();
    }

    /// <summary>A client on the HttpClient LmsBridge registers (standard resilience handler with these options).</summary>
    private TalentLmsClient Client(string? key = null, TalentLmsClientOptions? options = null)
    {
        options ??= new TalentLmsClientOptions { BaseDelay = TimeSpan.FromMilliseconds(10) };
        var services = new ServiceCollection().AddLogging().AddTalentLmsHttpClient(options).BuildServiceProvider();
        _services.Add(services);
        return new TalentLmsClientFactory(services.GetRequiredService<IHttpClientFactory>(), options, TimeProvider.System, NullLoggerFactory.Instance)
            .Create(TalentLmsConnection.Create(_lms.Domain, key ?? _lms.ApiKey));
    }

    [Fact]
    public async Task Reads_users_courses_status_and_test_answers_in_the_documented_shapes()
    {
        var ann = _lms.Data.AddUser("ann.lee@example.com", "Ann", "Lee");
        var course = _lms.Data.AddCourse("Git basics", "GIT-101");
        _lms.Data.AddUnit(course, "Getting started", "Section");
        var intro = _lms.Data.AddUnit(course, "Introduction");
        var quiz = _lms.Data.AddUnit(course, "Branching quiz", "Test");
        _lms.Data.Enroll(ann, course);
        _lms.Data.CompleteUnit(ann, intro, new DateTimeOffset(2024, 3, 1, 10, 0, 0, TimeSpan.Zero));
        _lms.Data.RecordTest(ann, quiz, 50, passed: false, new DateTimeOffset(2024, 3, 2, 11, 0, 0, TimeSpan.Zero),
            new FakeQuestion("What does git rebase do?", false, ["Deletes commits"], ["Replays commits onto another base"]),
            new FakeQuestion("Which command creates a branch?", true, ["git branch"], ["git branch"]));
        var client = Client();

        var users = await client.ListUsersAsync(default);
        var byEmail = await client.FindUserByEmailAsync("ann.lee@example.com", default);
        var detail = await client.GetCourseAsync(course.Id, default);
        var status = await client.GetUserStatusInCourseAsync(course.Id, ann.Id, default);
        var answers = await client.GetTestAnswersAsync(quiz.Id, ann.Id, default);

        Assert.Equal(ann.Id, Assert.Single(users).Id);
        Assert.Equal("Ann Lee", byEmail!.FullName);
        Assert.Equal(50, Assert.Single(byEmail.Courses).CompletionPercentage);
        Assert.Equal(["Section", "Content", "Test"], detail.Units.Select(u => u.Type));
        Assert.Equal("learner", Assert.Single(detail.Users).Role);
        Assert.Equal(50, status.CompletionPercentage);
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 10, 0, 0, TimeSpan.Zero), status.Units.Single(u => u.Id == intro.Id).CompletedOn);
        Assert.Equal("Failed", status.Units.Single(u => u.Id == quiz.Id).CompletionStatus);
        Assert.NotNull(answers);
        Assert.Equal(50.0, answers.ScorePercent);
        Assert.False(answers.Passed);
        var wrong = Assert.Single(answers.Questions, q => !q.Correct);
        Assert.Equal(["Deletes commits"], wrong.UserAnswers);
        Assert.Equal(["Replays commits onto another base"], wrong.CorrectAnswers);
        Assert.Contains($"GET /api/v1/getuserstatusincourse/course_id:{course.Id},user_id:{ann.Id}", _lms.Requests);
        Assert.Contains("GET /api/v1/users/email:ann.lee@example.com", _lms.Requests);
    }

    [Fact]
    public async Task Unknown_email_is_null_and_a_test_without_progress_is_null()
    {
        var ann = _lms.Data.AddUser("ann@example.com", "Ann", "Lee");
        var course = _lms.Data.AddCourse("Git");
        var quiz = _lms.Data.AddUnit(course, "Quiz", "Test");
        var client = Client();

        Assert.Null(await client.FindUserByEmailAsync("nobody@example.com", default));
        Assert.Null(await client.GetTestAnswersAsync(quiz.Id, ann.Id, default));
    }

    [Fact]
    public async Task A_wrong_key_fails_with_TalentLms_own_message()
    {
        var error = await Assert.ThrowsAsync<TalentLmsApiException>(() => Client(key: "wrong-key").GetSiteInfoAsync(default));

        Assert.Equal(HttpStatusCode.Unauthorized, error.Status);
        Assert.True(error.IsUnauthorized);
        Assert.Equal("Invalid API key provided", error.ApiMessage);
    }

    [Fact]
    public async Task Api_errors_carry_the_message_and_are_not_retried()
    {
        var client = Client();

        var error = await Assert.ThrowsAsync<TalentLmsApiException>(() => client.GetCourseAsync("999", default));

        Assert.Equal("The requested course does not exist", error.ApiMessage);
        Assert.Equal(HttpStatusCode.NotFound, error.Status);
        Assert.Equal(1, _lms.Requests.Count(r => r == "GET /api/v1/courses/id:999"));
    }

    [Fact]
    public async Task A_429_waits_for_the_advertised_reset_then_succeeds()
    {
        _lms.Data.AddUser("ann@example.com", "Ann", "Lee");
        _lms.RateLimitNext(2, TimeSpan.FromMilliseconds(300));
        var client = Client();

        var users = await client.ListUsersAsync(default);

        Assert.Single(users);
        Assert.Equal(3, _lms.Requests.Count(r => r == "GET /api/v1/users"));
    }

    [Fact]
    public async Task A_429_without_headers_asks_ratelimit_for_the_reset()
    {
        _lms.Data.AddUser("ann@example.com", "Ann", "Lee");
        _lms.RateLimitNext(1, TimeSpan.FromMilliseconds(300), withHeaders: false);
        var client = Client();

        var users = await client.ListUsersAsync(default);

        Assert.Single(users);
        Assert.Contains("GET /api/v1/ratelimit", _lms.Requests);
    }

    [Fact]
    public async Task A_reset_beyond_the_patience_limit_fails_with_the_reset_time()
    {
        _lms.RateLimitNext(10, TimeSpan.FromMinutes(30));
        var client = Client(options: new TalentLmsClientOptions { MaxRateLimitWait = TimeSpan.FromSeconds(5) });

        var error = await Assert.ThrowsAsync<TalentLmsRateLimitedException>(() => client.ListUsersAsync(default));

        Assert.NotNull(error.ResetsAt);
        Assert.True(error.ResetsAt > DateTimeOffset.UtcNow.AddMinutes(20));
        Assert.Equal(1, _lms.Requests.Count(r => r == "GET /api/v1/users"));
    }

    [Fact]
    public async Task Server_errors_are_retried()
    {
        _lms.Data.AddCourse("Git");
        _lms.RespondOnce("courses", HttpStatusCode.InternalServerError, "{\"error\":{\"type\":\"api_error\",\"message\":\"Internal error\"}}");
        _lms.RespondOnce("courses", HttpStatusCode.BadGateway, "<html>Bad gateway</html>", "text/html");

        var courses = await Client().ListCoursesAsync(default);

        Assert.Single(courses);
        Assert.Equal(3, _lms.Requests.Count(r => r == "GET /api/v1/courses"));
    }

    [Fact]
    public async Task A_slow_answer_times_out_and_is_retried()
    {
        _lms.Data.AddCourse("Git");
        _lms.DelayOnce("courses", TimeSpan.FromSeconds(10));
        var client = Client(options: new TalentLmsClientOptions { AttemptTimeout = TimeSpan.FromMilliseconds(300), BaseDelay = TimeSpan.FromMilliseconds(10) });

        var courses = await client.ListCoursesAsync(default);

        Assert.Single(courses);
        Assert.Equal(2, _lms.Requests.Count(r => r == "GET /api/v1/courses"));
    }

    [Fact]
    public async Task A_malformed_payload_names_the_path_and_the_field()
    {
        var course = _lms.Data.AddCourse("Git");
        _lms.RespondOnce($"courses/id:{course.Id}", HttpStatusCode.OK, "{\"id\":\"" + course.Id + "\",\"name\":\"Git\",\"units\":[{\"id\":\"x1\",\"name\":\"Intro\"}]}");

        var error = await Assert.ThrowsAsync<TalentLmsFormatException>(() => Client().GetCourseAsync(course.Id, default));

        Assert.Contains($"courses/id:{course.Id}", error.Message);
        Assert.Contains("'id'", error.Message);
    }

    [Fact]
    public async Task Adding_a_user_to_a_course_posts_a_form_and_reads_the_one_element_array()
    {
        var ann = _lms.Data.AddUser("ann@example.com", "Ann", "Lee");
        var course = _lms.Data.AddCourse("Git");
        var client = Client();

        var enrollment = await client.AddUserToCourseAsync(ann.Id, course.Id, "learner", default);
        var again = await Assert.ThrowsAsync<TalentLmsApiException>(() => client.AddUserToCourseAsync(ann.Id, course.Id, "learner", default));

        Assert.Equal((ann.Id, course.Id, "learner"), (enrollment.UserId, enrollment.CourseId, enrollment.Role));
        Assert.True(_lms.Data.IsEnrolled(ann, course));
        Assert.Equal("The requested user is already enrolled in this course", again.ApiMessage);
    }

    [Theory]
    [InlineData("acme", "https://acme.talentlms.com/api/v1/")]
    [InlineData("acme.talentlms.com", "https://acme.talentlms.com/api/v1/")]
    [InlineData("https://acme.talentlms.com/", "https://acme.talentlms.com/api/v1/")]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000/api/v1/")]
    public void Domains_normalise_to_the_v1_base(string domain, string expected) =>
        Assert.Equal(expected, TalentLmsConnection.ParseApiBase(domain).ToString());

    [Fact]
    public void Plain_http_to_a_remote_host_is_refused() =>
        Assert.Throws<ArgumentException>(() => TalentLmsConnection.ParseApiBase("http://acme.talentlms.com"));

    [Fact]
    public void Path_arguments_use_key_value_pairs_and_keep_the_at_sign() =>
        Assert.Equal("users/email:a.b%2Bc@example.com", TalentLmsPath.Build("users", ("email", "a.b+c@example.com")));
}
