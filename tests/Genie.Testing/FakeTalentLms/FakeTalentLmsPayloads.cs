using System.Globalization;
using System.Text.Json.Nodes;

namespace Genie.Testing.FakeTalentLms;

/// <summary>
/// Payloads in TalentLMS API v1's documented shapes: ids, counts and percentages as strings,
/// dates as "DD/MM/YYYY, HH:MM:SS" with a *_timestamp sibling (Unix seconds as a string),
/// empty dates as "" with a null timestamp.
/// </summary>
internal static class FakeTalentLmsPayloads
{
    public static JsonObject UserSummary(FakeUser u) => new()
    {
        ["id"] = u.Id,
        ["login"] = u.Login,
        ["first_name"] = u.FirstName,
        ["last_name"] = u.LastName,
        ["email"] = u.Email,
        ["restrict_email"] = "0",
        ["user_type"] = u.UserType,
        ["timezone"] = "(GMT +00:00) UTC",
        ["language"] = "English",
        ["status"] = u.Status,
        ["deactivation_date"] = "",
        ["level"] = "1",
        ["points"] = "0",
        ["created_on"] = "12/11/2023, 07:06:53",
        ["last_updated"] = "21/08/2024, 07:05:00",
        ["last_updated_timestamp"] = "1724223900",
        ["avatar"] = "https://fake.talentlms.com/pages/images/default_user.png",
        ["bio"] = "",
        ["login_key"] = $"https://fake.talentlms.com/index/autologin/key:{u.Id}abc",
    };

    public static JsonObject User(FakeTalentLmsData data, FakeUser u)
    {
        var json = UserSummary(u);
        var courses = new JsonArray();
        foreach (var e in data.Enrollments.Where(e => e.UserId == u.Id))
        {
            var course = data.Courses.Single(c => c.Id == e.CourseId);
            var percent = data.CompletionPercentage(u.Id, course);
            var item = new JsonObject
            {
                ["id"] = course.Id,
                ["name"] = course.Name,
                ["role"] = e.Role,
                ["completion_status"] = percent == 100 ? "Completed" : "incomplete",
                ["completion_status_formatted"] = percent == 100 ? "Completed" : "In progress",
                ["completion_percentage"] = Number(percent),
                ["total_time"] = Duration(e.TotalTimeSeconds),
                ["total_time_seconds"] = e.TotalTimeSeconds,
                ["last_accessed_unit_url"] = "",
            };
            Date(item, "enrolled_on", e.EnrolledOn);
            Date(item, "completed_on", data.CompletedOn(u.Id, course));
            Date(item, "expired_on", e.ExpiresOn);
            courses.Add(item);
        }
        json["courses"] = courses;
        json["branches"] = new JsonArray();
        json["groups"] = new JsonArray();
        json["certifications"] = new JsonArray();
        json["badges"] = new JsonArray();
        return json;
    }

    public static JsonObject CourseSummary(FakeCourse c) => new()
    {
        ["id"] = c.Id,
        ["name"] = c.Name,
        ["code"] = c.Code,
        ["category_id"] = "1",
        ["description"] = c.Description,
        ["price"] = "&#36;0.00",
        ["status"] = c.Status,
        ["creation_date"] = "10/01/2024, 10:00:00",
        ["last_update_on"] = FormatDate(c.LastUpdateOn),
        ["creator_id"] = "1",
        ["hide_from_catalog"] = "0",
        ["time_limit"] = "0",
        ["start_datetime"] = null,
        ["expiration_datetime"] = c.Expiration is { } exp ? FormatDate(exp) : null,
        ["level"] = null,
        ["shared"] = "0",
        ["shared_url"] = "",
        ["avatar"] = "https://fake.talentlms.com/pages/images/default_course.png",
        ["big_avatar"] = "https://fake.talentlms.com/pages/images/default_course_big.png",
        ["certification"] = null,
        ["certification_duration"] = null,
    };

    public static JsonObject Course(FakeTalentLmsData data, FakeCourse c)
    {
        var json = CourseSummary(c);
        var users = new JsonArray();
        foreach (var e in data.Enrollments.Where(e => e.CourseId == c.Id))
        {
            var u = data.Users.Single(x => x.Id == e.UserId);
            var item = new JsonObject
            {
                ["id"] = u.Id,
                ["name"] = $"{u.FirstName[..1]}. {u.LastName}",
                ["role"] = e.Role,
                ["completion_percentage"] = Number(data.CompletionPercentage(u.Id, c)),
                ["total_time"] = Duration(e.TotalTimeSeconds),
                ["total_time_seconds"] = e.TotalTimeSeconds,
            };
            Date(item, "enrolled_on", e.EnrolledOn);
            Date(item, "completed_on", data.CompletedOn(u.Id, c));
            Date(item, "expired_on", e.ExpiresOn);
            users.Add(item);
        }
        var units = new JsonArray();
        foreach (var unit in c.Units)
        {
            units.Add(new JsonObject
            {
                ["id"] = unit.Id,
                ["type"] = unit.Type,
                ["name"] = unit.Name,
                ["url"] = unit.Url,
                ["delay_time"] = "0",
                ["aggregated_delay_time"] = "0",
                ["formatted_aggregated_delay_time"] = "",
            });
        }
        json["users"] = users;
        json["units"] = units;
        json["rules"] = new JsonArray("All units must be completed");
        json["prerequisites"] = new JsonArray();
        return json;
    }

    public static JsonObject UserStatusInCourse(FakeTalentLmsData data, FakeEnrollment e)
    {
        var course = data.Courses.Single(c => c.Id == e.CourseId);
        var percent = data.CompletionPercentage(e.UserId, course);
        var json = new JsonObject
        {
            ["role"] = e.Role,
            ["completion_status"] = percent == 100 ? "Completed" : percent == 0 ? "Not attempted" : "incomplete",
            ["completion_percentage"] = Number(percent),
            ["total_time"] = Duration(e.TotalTimeSeconds),
            ["total_time_seconds"] = e.TotalTimeSeconds,
        };
        Date(json, "enrolled_on", e.EnrolledOn);
        Date(json, "completed_on", data.CompletedOn(e.UserId, course));
        Date(json, "expired_on", e.ExpiresOn);
        var units = new JsonArray();
        foreach (var unit in course.Units.Where(u => !u.IsSection))
        {
            data.UnitProgress.TryGetValue((e.UserId, unit.Id), out var p);
            var item = new JsonObject
            {
                ["id"] = unit.Id,
                ["name"] = unit.Name,
                ["type"] = unit.Type,
                ["completion_status"] = p?.Status ?? "Not attempted",
                ["score"] = p?.Score ?? "",
                ["total_time"] = p is null ? "" : "2m",
                ["total_time_seconds"] = p is null ? 0 : 120,
            };
            Date(item, "completed_on", p?.CompletedOn);
            units.Add(item);
        }
        json["units"] = units;
        return json;
    }

    public static JsonObject TestAnswers(FakeUser user, FakeUnit test, FakeTestAttempt attempt)
    {
        var questions = new JsonArray();
        foreach (var q in attempt.Questions)
        {
            questions.Add(new JsonObject
            {
                ["id"] = q.Id,
                ["text"] = q.Text,
                ["type"] = q.Type,
                ["weight"] = "1",
                ["correct"] = q.Correct ? "1" : "0",
                ["answers"] = Keyed(q.CorrectAnswers.Concat(q.UserAnswers).Distinct()),
                ["correct_answers"] = Keyed(q.CorrectAnswers),
                ["user_answers"] = Keyed(q.UserAnswers),
            });
        }
        var json = new JsonObject
        {
            ["test_id"] = test.Id,
            ["test_name"] = test.Name,
            ["user_id"] = user.Id,
            ["user_name"] = $"{user.FirstName} {user.LastName}",
            ["score"] = attempt.ScorePercent.ToString("0.00", CultureInfo.InvariantCulture) + "%",
            ["completion_status"] = attempt.Passed ? "Passed" : "Failed",
            ["total_time"] = "3m 10s",
            ["questions"] = questions,
        };
        Date(json, "completed_on", attempt.CompletedOn);
        return json;
    }

    public static string FormatDate(DateTimeOffset at) =>
        at.UtcDateTime.ToString("dd/MM/yyyy, HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Date(JsonObject json, string name, DateTimeOffset? at)
    {
        json[name] = at is { } value ? FormatDate(value) : "";
        json[name + "_timestamp"] = at is { } v ? Number(v.ToUnixTimeSeconds()) : null;
    }

    private static JsonObject Keyed(IEnumerable<string> values)
    {
        var json = new JsonObject();
        var i = 1;
        foreach (var value in values)
            json[(i++).ToString(CultureInfo.InvariantCulture)] = value;
        return json;
    }

    private static string Duration(long seconds) =>
        seconds >= 60 ? $"{seconds / 60}m {seconds % 60}s" : $"{seconds}s";
}
