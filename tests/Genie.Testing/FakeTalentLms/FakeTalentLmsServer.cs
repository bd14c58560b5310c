using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Genie.Testing.FakeTalentLms;

/// <summary>
/// A TalentLMS portal's REST API v1 on loopback, following the documented contract
/// (shared/reference/talentlms.md): <c>/api/v1/&lt;endpoint&gt;/key:value,key:value</c> GETs,
/// form-encoded POSTs, HTTP Basic with the API key as user and an empty password, string-typed JSON,
/// <c>{"error":{"type","message"}}</c> errors with TalentLMS's messages, 429 with X-RateLimit-* headers.
/// Pass <see cref="Domain"/> as the portal domain: the client appends /api/v1.
/// </summary>
public sealed class FakeTalentLmsServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<Fault> _faults = new();
    private readonly ConcurrentQueue<(string PathPrefix, TimeSpan Delay)> _delays = new();
    private int _rateLimitedRemaining;
    private bool _rateLimitHeaders = true;
    private DateTimeOffset _rateLimitResetsAt;
    private LoopbackApp _app = null!;

    private FakeTalentLmsServer(string apiKey) => ApiKey = apiKey;

    public string ApiKey { get; }

    public FakeTalentLmsData Data { get; } = new();

    /// <summary>e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Domain => _app.Address;

    /// <summary>"GET /api/v1/users/id:100" for every request received, in order.</summary>
    public IReadOnlyList<string> Requests => _requests.ToList();

    public static async Task<FakeTalentLmsServer> StartAsync(string apiKey = "fake-talentlms-key-7Q2w")
    {
        var server = new FakeTalentLmsServer(apiKey);
        server._app = await LoopbackApp.StartAsync(app => app.Map("/api/v1/{**rest}", server.HandleAsync));
        return server;
    }

    /// <summary>The next <paramref name="count"/> requests get 429; the limit resets <paramref name="resetAfter"/> later.</summary>
    public void RateLimitNext(int count, TimeSpan resetAfter, bool withHeaders = true)
    {
        _rateLimitHeaders = withHeaders;
        _rateLimitResetsAt = DateTimeOffset.UtcNow + resetAfter;
        Volatile.Write(ref _rateLimitedRemaining, count);
    }

    /// <summary>The next request whose path (after /api/v1/) starts with <paramref name="pathPrefix"/> gets this raw answer.</summary>
    public void RespondOnce(string pathPrefix, HttpStatusCode status, string body, string contentType = "application/json") =>
        _faults.Enqueue(new Fault(pathPrefix, status, body, contentType, Persistent: false));

    /// <summary>Every request to <paramref name="pathPrefix"/> gets this raw answer until <see cref="ClearFaults"/>.</summary>
    public void RespondAlways(string pathPrefix, HttpStatusCode status, string body, string contentType = "application/json") =>
        _faults.Enqueue(new Fault(pathPrefix, status, body, contentType, Persistent: true));

    /// <summary>The next request to <paramref name="pathPrefix"/> is answered only after <paramref name="delay"/> (a slow portal).</summary>
    public void DelayOnce(string pathPrefix, TimeSpan delay) => _delays.Enqueue((pathPrefix, delay));

    public void ClearFaults() => _faults.Clear();

    public void ClearRequestLog() => _requests.Clear();

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext http)
    {
        var rest = (string?)http.Request.RouteValues["rest"] ?? "";
        _requests.Enqueue($"{http.Request.Method} /api/v1/{rest}");
        if (!Authorized(http.Request, out var keyProblem))
        {
            if (keyProblem is null)
            {
                http.Response.StatusCode = 401;
                http.Response.Headers.WWWAuthenticate = "Basic realm=\"TalentLMS API\"";
                await http.Response.WriteAsync("<html><body><h1>401 Unauthorized</h1>You need a valid user and password</body></html>");
                return;
            }
            await ErrorAsync(http, HttpStatusCode.Unauthorized, keyProblem);
            return;
        }
        if (_delays.TryPeek(out var slow) && rest.StartsWith(slow.PathPrefix, StringComparison.OrdinalIgnoreCase) && _delays.TryDequeue(out _))
        {
            try
            {
                await Task.Delay(slow.Delay, http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        var endpoint = rest.Split('/', 2)[0].ToLowerInvariant();
        if (endpoint != "ratelimit" && Interlocked.Decrement(ref _rateLimitedRemaining) >= 0)
        {
            if (_rateLimitHeaders)
                RateLimitHeaders(http.Response, remaining: 0, _rateLimitResetsAt);
            await ErrorAsync(http, HttpStatusCode.TooManyRequests, "API rate limit exceeded", "rate_limit_error");
            return;
        }
        foreach (var fault in _faults)
        {
            if (rest.StartsWith(fault.PathPrefix, StringComparison.OrdinalIgnoreCase))
            {
                if (!fault.Persistent)
                    Dequeue(fault);
                http.Response.StatusCode = (int)fault.Status;
                http.Response.ContentType = fault.ContentType;
                await http.Response.WriteAsync(fault.Body);
                return;
            }
        }
        RateLimitHeaders(http.Response, remaining: 9_000, DateTimeOffset.UtcNow.AddHours(1));
        var arguments = ParseArguments(rest);
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync() : null;
        var (status, json) = Route(http.Request.Method, endpoint, arguments, form);
        http.Response.StatusCode = (int)status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(json.ToJsonString());
    }

    private (HttpStatusCode, JsonNode) Route(string method, string endpoint, Dictionary<string, string> args, IFormCollection? form)
    {
        lock (Data.Gate)
        {
            return (method, endpoint) switch
            {
                ("GET", "users") when args.Count == 0 => Ok(new JsonArray(Data.Users.Select(u => (JsonNode)FakeTalentLmsPayloads.UserSummary(u)).ToArray())),
                ("GET", "users") => FindUser(args) is { } user ? Ok(FakeTalentLmsPayloads.User(Data, user)) : NotFound("The requested user does not exist"),
                ("GET", "courses") when args.Count == 0 => Ok(new JsonArray(Data.Courses.Select(c => (JsonNode)FakeTalentLmsPayloads.CourseSummary(c)).ToArray())),
                ("GET", "courses") => Data.Courses.FirstOrDefault(c => c.Id == args.GetValueOrDefault("id")) is { } course
                    ? Ok(FakeTalentLmsPayloads.Course(Data, course))
                    : NotFound("The requested course does not exist"),
                ("GET", "getuserstatusincourse") => UserStatus(args),
                ("GET", "gettestanswers") => TestAnswers(args),
                ("POST", "addusertocourse") => AddUserToCourse(form),
                ("GET", "siteinfo") => Ok(new JsonObject
                {
                    ["total_users"] = FakeTalentLmsPayloads.Number(Data.Users.Count),
                    ["total_courses"] = FakeTalentLmsPayloads.Number(Data.Courses.Count),
                    ["total_categories"] = "1",
                    ["total_groups"] = "0",
                    ["total_branches"] = "0",
                    ["monthly_active_users"] = "0",
                    ["signup_method"] = "manual",
                    ["paypal_email"] = "",
                    ["domain_map"] = "",
                    ["date_format"] = "DDMMYYYY",
                }),
                ("GET", "ratelimit") => RateLimitStatus(),
                _ => Error(HttpStatusCode.BadRequest, "The requested API action does not exist"),
            };
        }
    }

    /// <summary>While a limit imposed by <see cref="RateLimitNext"/> lasts, /ratelimit reports it (it is not itself metered).</summary>
    private (HttpStatusCode, JsonNode) RateLimitStatus()
    {
        var limited = _rateLimitResetsAt > DateTimeOffset.UtcNow;
        var reset = limited ? _rateLimitResetsAt : DateTimeOffset.UtcNow.AddHours(1);
        return Ok(new JsonObject
        {
            ["limit"] = "10000",
            ["remaining"] = limited ? 0 : 9000,
            ["reset"] = FakeTalentLmsPayloads.Number((long)Math.Ceiling(reset.ToUnixTimeMilliseconds() / 1000.0)),
            ["formatted_reset"] = reset.UtcDateTime.ToString("dd/MM/yyyy, HH:mm", System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    private FakeUser? FindUser(Dictionary<string, string> args) =>
        args.TryGetValue("id", out var id) ? Data.Users.FirstOrDefault(u => u.Id == id)
        : args.TryGetValue("email", out var email) ? Data.Users.FirstOrDefault(u => string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase))
        : args.TryGetValue("username", out var login) ? Data.Users.FirstOrDefault(u => u.Login == login)
        : null;

    private (HttpStatusCode, JsonNode) UserStatus(Dictionary<string, string> args)
    {
        if (!args.TryGetValue("course_id", out var courseId) || !args.TryGetValue("user_id", out var userId))
            return Error(HttpStatusCode.BadRequest, "Invalid arguments provided");
        if (Data.Users.All(u => u.Id != userId))
            return NotFound("The requested user does not exist");
        if (Data.Courses.All(c => c.Id != courseId))
            return NotFound("The requested course does not exist");
        var enrollment = Data.Enrollments.FirstOrDefault(e => e.UserId == userId && e.CourseId == courseId);
        return enrollment is null
            ? Error(HttpStatusCode.BadRequest, "The requested user is not enrolled in this course")
            : Ok(FakeTalentLmsPayloads.UserStatusInCourse(Data, enrollment));
    }

    private (HttpStatusCode, JsonNode) TestAnswers(Dictionary<string, string> args)
    {
        if (!args.TryGetValue("test_id", out var testId) || !args.TryGetValue("user_id", out var userId))
            return Error(HttpStatusCode.BadRequest, "Invalid arguments provided");
        var user = Data.Users.FirstOrDefault(u => u.Id == userId);
        if (user is null)
            return NotFound("The requested user does not exist");
        var test = Data.Courses.SelectMany(c => c.Units).FirstOrDefault(u => u.Id == testId && u.Type == "Test");
        if (test is null)
            return NotFound("The requested unit does not exist");
        return Data.TestAttempts.TryGetValue((userId, testId), out var attempt)
            ? Ok(FakeTalentLmsPayloads.TestAnswers(user, test, attempt))
            : Error(HttpStatusCode.BadRequest, "User does not have a progress registered for the test");
    }

    private (HttpStatusCode, JsonNode) AddUserToCourse(IFormCollection? form)
    {
        var userId = form?["user_id"].ToString() ?? "";
        var courseId = form?["course_id"].ToString() ?? "";
        var role = form?["role"].ToString() is { Length: > 0 } r ? r : "learner";
        if (userId.Length == 0 || courseId.Length == 0 || role is not ("learner" or "instructor"))
            return Error(HttpStatusCode.BadRequest, "Invalid arguments provided");
        var user = Data.Users.FirstOrDefault(u => u.Id == userId);
        if (user is null)
            return NotFound("The requested user does not exist");
        var course = Data.Courses.FirstOrDefault(c => c.Id == courseId);
        if (course is null)
            return NotFound("The requested course does not exist");
        if (Data.Enrollments.Any(e => e.UserId == userId && e.CourseId == courseId))
            return Error(HttpStatusCode.BadRequest, "The requested user is already enrolled in this course");
        Data.Enrollments.Add(new FakeEnrollment(userId, courseId, role, DateTimeOffset.UtcNow));
        return Ok(new JsonArray(new JsonObject { ["user_id"] = userId, ["course_id"] = courseId, ["role"] = role }));
    }

    private bool Authorized(HttpRequest request, out string? problem)
    {
        problem = null;
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            return false;
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }
        var user = decoded.Split(':', 2)[0];
        if (user == ApiKey)
            return true;
        problem = "Invalid API key provided";
        return false;
    }

    /// <summary><c>users/id:7</c> → {id:7}; <c>getuserstatusincourse/course_id:4,user_id:7</c> → two pairs.</summary>
    private static Dictionary<string, string> ParseArguments(string rest)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var parts = rest.Split('/', 2);
        if (parts.Length < 2 || parts[1].Length == 0)
            return result;
        foreach (var pair in parts[1].Split(','))
        {
            var kv = pair.Split(':', 2);
            if (kv.Length == 2)
                result[Uri.UnescapeDataString(kv[0])] = Uri.UnescapeDataString(kv[1]);
        }
        return result;
    }

    private static void RateLimitHeaders(HttpResponse response, int remaining, DateTimeOffset resetsAt)
    {
        response.Headers["X-RateLimit-Limit"] = "10000";
        response.Headers["X-RateLimit-Remaining"] = remaining.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Unix seconds, rounded up so a client waiting until then is never early.
        var reset = (long)Math.Ceiling(resetsAt.ToUnixTimeMilliseconds() / 1000.0);
        response.Headers["X-RateLimit-Reset"] = reset.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static (HttpStatusCode, JsonNode) Ok(JsonNode json) => (HttpStatusCode.OK, json);

    private static (HttpStatusCode, JsonNode) NotFound(string message) => Error(HttpStatusCode.NotFound, message);

    private static (HttpStatusCode, JsonNode) Error(HttpStatusCode status, string message, string type = "invalid_request_error") =>
        (status, new JsonObject { ["error"] = new JsonObject { ["type"] = type, ["message"] = message } });

    private static async Task ErrorAsync(HttpContext http, HttpStatusCode status, string message, string type = "invalid_request_error")
    {
        var (_, json) = Error(status, message, type);
        http.Response.StatusCode = (int)status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(json.ToJsonString());
    }

    private void Dequeue(Fault fault)
    {
        var kept = _faults.Where(f => !ReferenceEquals(f, fault)).ToList();
        _faults.Clear();
        foreach (var f in kept)
            _faults.Enqueue(f);
    }

    private sealed record Fault(string PathPrefix, HttpStatusCode Status, string Body, string ContentType, bool Persistent);
}
