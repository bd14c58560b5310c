using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Genie.LmsBridge.TalentLms;

/// <summary>
/// TalentLMS REST API v1 for one portal: HTTP Basic with the API key as user and an empty password,
/// GET arguments as <c>key:value</c> path segments, POSTs as form bodies. Transient failures (connection
/// errors, timeouts, 408, 5xx) are retried by the HttpClient's standard resilience handler
/// (<see cref="TalentLmsHttp"/>); a 429 is TalentLMS's rate limit, waited out here until it resets. Other
/// errors surface as <see cref="TalentLmsApiException"/> carrying TalentLMS's own message.
/// </summary>
public sealed partial class TalentLmsClient
{
    private readonly HttpClient _http;
    private readonly TalentLmsConnection _connection;
    private readonly TalentLmsClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AuthenticationHeaderValue _authorization;
    private DateTimeOffset _notBefore = DateTimeOffset.MinValue;
    private int _calls;

    public TalentLmsClient(HttpClient http, TalentLmsConnection connection, TalentLmsClientOptions options, TimeProvider time, ILogger logger)
    {
        _http = http;
        _connection = connection;
        _options = options;
        _time = time;
        _logger = logger;
        _authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(connection.ApiKey + ":")));
    }

    /// <summary>Requests made so far (rate-limit waits included; transient retries are the resilience handler's, in its telemetry).</summary>
    public int CallCount => Volatile.Read(ref _calls);

    public async Task<IReadOnlyList<TlmsUser>> ListUsersAsync(CancellationToken cancellationToken) =>
        TalentLmsParsers.Users(await GetAsync("users", cancellationToken), "users");

    public async Task<TlmsUser> GetUserAsync(string userId, CancellationToken cancellationToken)
    {
        var path = TalentLmsPath.Build("users", ("id", userId));
        return TalentLmsParsers.User(await GetAsync(path, cancellationToken), path);
    }

    /// <summary>The user with this e-mail, or null when TalentLMS has none.</summary>
    public async Task<TlmsUser?> FindUserByEmailAsync(string email, CancellationToken cancellationToken)
    {
        var path = TalentLmsPath.Build("users", ("email", email.Trim()));
        try
        {
            return TalentLmsParsers.User(await GetAsync(path, cancellationToken), path);
        }
        catch (TalentLmsApiException e) when (e.ApiMessage.Contains("does not exist", StringComparison.OrdinalIgnoreCase) ||
                                             e.ApiMessage.Contains("no longer available", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<TlmsCourse>> ListCoursesAsync(CancellationToken cancellationToken) =>
        TalentLmsParsers.Courses(await GetAsync("courses", cancellationToken), "courses");

    public async Task<TlmsCourseDetail> GetCourseAsync(string courseId, CancellationToken cancellationToken)
    {
        var path = TalentLmsPath.Build("courses", ("id", courseId));
        return TalentLmsParsers.CourseDetail(await GetAsync(path, cancellationToken), path);
    }

    public async Task<TlmsUserCourseStatus> GetUserStatusInCourseAsync(string courseId, string userId, CancellationToken cancellationToken)
    {
        var path = TalentLmsPath.Build("getuserstatusincourse", ("course_id", courseId), ("user_id", userId));
        return TalentLmsParsers.UserCourseStatus(await GetAsync(path, cancellationToken), path);
    }

    /// <summary>A learner's answers in a test unit, or null when they have no progress registered for it.</summary>
    public async Task<TlmsTestAnswers?> GetTestAnswersAsync(string testId, string userId, CancellationToken cancellationToken)
    {
        var path = TalentLmsPath.Build("gettestanswers", ("test_id", testId), ("user_id", userId));
        try
        {
            return TalentLmsParsers.TestAnswers(await GetAsync(path, cancellationToken), path);
        }
        catch (TalentLmsApiException e) when (e.ApiMessage.Contains("does not have a progress", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
    }

    public async Task<TlmsEnrollment> AddUserToCourseAsync(string userId, string courseId, string role, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string> { ["user_id"] = userId, ["course_id"] = courseId, ["role"] = role };
        return TalentLmsParsers.Enrollment(await SendAsync(HttpMethod.Post, "addusertocourse", form, cancellationToken), "addusertocourse");
    }

    public async Task<TlmsSiteInfo> GetSiteInfoAsync(CancellationToken cancellationToken) =>
        TalentLmsParsers.SiteInfo(await GetAsync("siteinfo", cancellationToken), "siteinfo");

    public async Task<TlmsRateLimit> GetRateLimitAsync(CancellationToken cancellationToken) =>
        TalentLmsParsers.RateLimit(await GetAsync("ratelimit", cancellationToken), "ratelimit");

    private Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, cancellationToken);

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, IReadOnlyDictionary<string, string>? form, CancellationToken cancellationToken)
    {
        await WaitForRateLimitWindowAsync(path, cancellationToken);
        var response = await SendOnceAsync(method, path, form, cancellationToken);
        for (var retry = 0; response.StatusCode == HttpStatusCode.TooManyRequests && retry < _options.MaxRetries; retry++)
        {
            var wait = await RateLimitDelayAsync(response, path, retry, cancellationToken);
            response.Dispose();
            await Task.Delay(wait, _time, cancellationToken);
            response = await SendOnceAsync(method, path, form, cancellationToken);
        }

        using var _ = response;
        RememberRateLimit(response);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
            throw new TalentLmsRateLimitedException(path, RateLimitGate.ResetAt(response.Headers, _time.GetUtcNow()));
        if (!response.IsSuccessStatusCode)
            throw new TalentLmsApiException(response.StatusCode, ErrorMessage(response, body), path);
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement.Clone();
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
                throw new TalentLmsApiException(response.StatusCode, ErrorMessage(response, body), path);
            return root;
        }
        catch (JsonException e)
        {
            throw new TalentLmsFormatException(path, $"not JSON ({e.Message})");
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpMethod method, string path, IReadOnlyDictionary<string, string>? form, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_connection.ApiBase, path));
        request.Headers.Authorization = _authorization;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (form is not null)
            request.Content = new FormUrlEncodedContent(form);
        Interlocked.Increment(ref _calls);
        LmsTelemetry.ApiCalls.Add(1);
        return await _http.SendAsync(request, cancellationToken);
    }

    /// <summary>
    /// How long to wait after a 429: until the advertised reset, else until /ratelimit's reset, else an exponential
    /// back-off. A reset beyond <see cref="TalentLmsClientOptions.MaxRateLimitWait"/> fails the call with its time.
    /// </summary>
    private async Task<TimeSpan> RateLimitDelayAsync(HttpResponseMessage response, string path, int retry, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var resetAt = RateLimitGate.ResetAt(response.Headers, now) ?? await QueryResetAsync(cancellationToken);
        if (resetAt is null)
            return _options.BaseDelay * Math.Pow(2, retry);
        var wait = resetAt.Value - now;
        if (wait > _options.MaxRateLimitWait)
        {
            response.Dispose();
            throw new TalentLmsRateLimitedException(path, resetAt);
        }
        _logger.LogInformation("TalentLMS rate limit reached; waiting until {Reset:u}", resetAt);
        LmsTelemetry.RateLimitWaits.Add(1);
        return wait > TimeSpan.Zero ? wait + TimeSpan.FromMilliseconds(50) : TimeSpan.FromMilliseconds(50);
    }

    private async Task<DateTimeOffset?> QueryResetAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_connection.ApiBase, "ratelimit"));
            request.Headers.Authorization = _authorization;
            Interlocked.Increment(ref _calls);
            using var response = await _http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
                return null;
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var status = TalentLmsParsers.RateLimit(document.RootElement, "ratelimit");
            // Calls left means the window reset since the 429 (its reset is then the next window's): retry now.
            return status.Remaining > 0 ? _time.GetUtcNow() : status.Reset;
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TalentLmsFormatException)
        {
            return null;
        }
    }

    private void RememberRateLimit(HttpResponseMessage response)
    {
        if (response.IsSuccessStatusCode && RateLimitGate.Remaining(response.Headers) == 0 &&
            RateLimitGate.ResetAt(response.Headers, _time.GetUtcNow()) is { } reset)
            _notBefore = reset;
    }

    /// <summary>After a response said no calls remain, the next call waits for the reset instead of earning a 429.</summary>
    private async Task WaitForRateLimitWindowAsync(string path, CancellationToken cancellationToken)
    {
        var wait = _notBefore - _time.GetUtcNow();
        if (wait <= TimeSpan.Zero)
            return;
        if (wait > _options.MaxRateLimitWait)
            throw new TalentLmsRateLimitedException(path, _notBefore);
        await Task.Delay(wait, _time, cancellationToken);
    }

    /// <summary>TalentLMS's own words: <c>{"error":{"message":..}}</c> (v1), <c>{"message":..}</c>, else the body text.</summary>
    private static string ErrorMessage(HttpResponseMessage response, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("error", out var error))
                {
                    if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                        return m.GetString()!;
                    if (error.ValueKind == JsonValueKind.String)
                        return error.GetString()!;
                }
                if (root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                    return message.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Not JSON (e.g. the HTML 401 page): fall through to the text.
        }
        var text = WhiteSpace().Replace(Tags().Replace(body, " "), " ").Trim();
        if (text.Length > 300)
            text = text[..300] + "…";
        return text.Length > 0 ? text : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
    }

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
