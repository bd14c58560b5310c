using System.Text.Json;

namespace Genie.LmsBridge.TalentLms;

/// <summary>Turns API v1 payloads into typed records, validating what sync depends on.</summary>
internal static class TalentLmsParsers
{
    public static TlmsUser User(JsonElement root, string path)
    {
        var json = TalentLmsJson.Object(root, path, "user");
        return new TlmsUser(
            json.Id(), json.Text("login"), json.Text("first_name"), json.Text("last_name"),
            json.Text("email").Trim(), json.Text("user_type"), json.Text("status"),
            json.ArrayOrEmpty("courses").Select(UserCourse).ToList());
    }

    public static IReadOnlyList<TlmsUser> Users(JsonElement root, string path) =>
        ListOf(root, path, "users").Select(u => User(u.Element, path)).ToList();

    private static TlmsUserCourse UserCourse(TalentLmsJson c) => new(
        c.Id(), c.Text("name"), RoleOf(c), c.Time("enrolled_on"), c.Time("completed_on"),
        c.Text("completion_status"), c.Int("completion_percentage"), c.Time("expired_on"),
        c.Long("total_time_seconds"), c.Text("last_accessed_unit_url"));

    public static TlmsCourse Course(TalentLmsJson c) => new(
        c.Id(), c.RequiredText("name"), c.Text("code"), c.Text("description"), c.Text("status"),
        c.Text("last_update_on"), TalentLmsJson.FormattedDate(c.Text("expiration_datetime")));

    public static IReadOnlyList<TlmsCourse> Courses(JsonElement root, string path) =>
        ListOf(root, path, "courses").Select(Course).ToList();

    public static TlmsCourseDetail CourseDetail(JsonElement root, string path)
    {
        var json = TalentLmsJson.Object(root, path, "course");
        var units = json.ArrayOrEmpty("units")
            .Select(u => new TlmsUnit(u.Id(), u.Text("type"), u.RequiredText("name"), u.Text("url")))
            .ToList();
        var users = json.ArrayOrEmpty("users")
            .Select(u => new TlmsCourseUser(
                u.Id(), u.Text("name"), RoleOf(u), u.Time("enrolled_on"), u.Time("completed_on"),
                u.Int("completion_percentage"), u.Time("expired_on"), u.Long("total_time_seconds")))
            .ToList();
        return new TlmsCourseDetail(Course(json), units, users);
    }

    public static TlmsUserCourseStatus UserCourseStatus(JsonElement root, string path)
    {
        var json = TalentLmsJson.Object(root, path, "status");
        var units = json.ArrayOrEmpty("units")
            .Select(u => new TlmsUnitStatus(
                u.Id(), u.Text("name"), u.Text("type"), u.Text("completion_status"), u.Time("completed_on"),
                u.Text("score"), u.Long("total_time_seconds")))
            .ToList();
        return new TlmsUserCourseStatus(
            RoleOf(json), json.Time("enrolled_on"), json.RequiredText("completion_status"),
            json.Int("completion_percentage"), json.Time("completed_on"), json.Time("expired_on"),
            json.Long("total_time_seconds"), units);
    }

    public static TlmsTestAnswers TestAnswers(JsonElement root, string path)
    {
        var json = TalentLmsJson.Object(root, path, "test answers");
        var questions = json.ArrayOrEmpty("questions")
            .Select(q => new TlmsQuestion(
                q.Text("id"), q.Text("text"), q.Text("type"), q.Percent("weight"), q.Text("correct") is "1" or "true",
                q.TextList("user_answers"), q.TextList("correct_answers")))
            .ToList();
        return new TlmsTestAnswers(
            json.Id("test_id"), json.Text("test_name"), json.Text("user_id"), json.Percent("score"),
            json.Text("completion_status"), json.Time("completed_on"), questions);
    }

    public static TlmsSiteInfo SiteInfo(JsonElement root, string path)
    {
        var json = TalentLmsJson.Object(root, path, "site info");
        return new TlmsSiteInfo(json.Int("total_users"), json.Int("total_courses"), json.Text("date_format"));
    }

    public static TlmsRateLimit RateLimit(JsonElement root, string path)
    {
        var json = TalentLmsJson.Object(root, path, "rate limit");
        var reset = json.Long("reset");
        return new TlmsRateLimit(json.Int("limit"), json.Int("remaining"),
            reset > 0 ? DateTimeOffset.FromUnixTimeSeconds(reset) : null);
    }

    /// <summary><c>addusertocourse</c> answers a one-element array (older portals: an object).</summary>
    public static TlmsEnrollment Enrollment(JsonElement root, string path)
    {
        var item = root.ValueKind == JsonValueKind.Array
            ? TalentLmsJson.Array(root, path, "enrollment").FirstOrDefault()
            : TalentLmsJson.Object(root, path, "enrollment");
        if (item.Element.ValueKind != JsonValueKind.Object)
            throw new TalentLmsFormatException(path, "the enrollment array is empty");
        return new TlmsEnrollment(item.Id("user_id"), item.Id("course_id"), RoleOf(item));
    }

    private static IEnumerable<TalentLmsJson> ListOf(JsonElement root, string path, string what) =>
        // Lists are bare arrays; some portals key them by id instead.
        root.ValueKind == JsonValueKind.Object
            ? root.EnumerateObject().Select(p => TalentLmsJson.Object(p.Value, path, $"{what}.{p.Name}"))
            : TalentLmsJson.Array(root, path, what);

    private static string RoleOf(TalentLmsJson json) =>
        json.Text("role").Trim().ToLowerInvariant() is { Length: > 0 } role ? role : "learner";
}
