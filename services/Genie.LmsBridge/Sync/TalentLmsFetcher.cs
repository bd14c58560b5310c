using System.Globalization;
using Genie.LmsBridge.TalentLms;

namespace Genie.LmsBridge.Sync;

/// <summary>
/// Reads a consistent picture of the portal: users and courses (any failure aborts: nothing is
/// written), then each course's detail (units and enrolments). Per-learner calls
/// (getuserstatusincourse, gettestanswers) run only for enrolments whose progress summary changed
/// since the last sync: that is where the API allows incremental sync (last_update_on only covers
/// course properties, so course detail itself is always read). A course or learner whose calls fail
/// keeps its previous data and is listed in the failures.
/// </summary>
public sealed class TalentLmsFetcher(TalentLmsClient client)
{
    public async Task<SyncSnapshot> FetchAsync(
        IReadOnlyDictionary<(string CourseId, string UserId), string?> previousFingerprints,
        Func<SyncStep, ValueTask> report,
        CancellationToken ct)
    {
        await report(new SyncStep("users", 0, 0, "Reading TalentLMS users"));
        var users = await client.ListUsersAsync(ct);
        await report(new SyncStep("courses", 0, 0, $"{users.Count} users; reading courses"));
        var courses = await client.ListCoursesAsync(ct);
        var knownUsers = users.Select(u => u.Id).ToHashSet();

        var fetched = new List<CourseSnapshot>();
        var failures = new List<string>();
        var skipped = 0;
        for (var i = 0; i < courses.Count; i++)
        {
            var course = courses[i];
            await report(new SyncStep($"course {course.Id}", i, courses.Count, course.Name));
            TlmsCourseDetail detail;
            try
            {
                detail = await client.GetCourseAsync(course.Id, ct);
            }
            catch (Exception e) when (IsTalentLmsFailure(e) && !IsFatal(e))
            {
                failures.Add($"course {course.Id} ({course.Name}): {e.Message}; previous data kept");
                continue;
            }
            var enrollments = new List<EnrollmentSnapshot>();
            foreach (var user in detail.Users.Where(u => knownUsers.Contains(u.Id)))
            {
                var fingerprint = Fingerprint(detail.Course, user);
                var unchanged = previousFingerprints.TryGetValue((course.Id, user.Id), out var previous) && previous == fingerprint;
                if (unchanged || user.Role != "learner")
                {
                    if (unchanged)
                        skipped++;
                    enrollments.Add(new EnrollmentSnapshot(user, fingerprint, null, [], DetailFailed: false));
                    continue;
                }
                try
                {
                    var status = await client.GetUserStatusInCourseAsync(course.Id, user.Id, ct);
                    var tests = new List<TlmsTestAnswers>();
                    foreach (var test in detail.Units.Where(u => u.IsTest))
                    {
                        var unitStatus = status.Units.FirstOrDefault(s => s.Id == test.Id);
                        if (unitStatus is null || TalentLmsStatus.IsNotAttempted(unitStatus.CompletionStatus))
                            continue;
                        if (await client.GetTestAnswersAsync(test.Id, user.Id, ct) is { } answers)
                            tests.Add(answers);
                    }
                    enrollments.Add(new EnrollmentSnapshot(user, fingerprint, status, tests, DetailFailed: false));
                }
                catch (Exception e) when (IsTalentLmsFailure(e) && !IsFatal(e))
                {
                    failures.Add($"course {course.Id} ({course.Name}), user {user.Id}: {e.Message}; previous progress kept");
                    enrollments.Add(new EnrollmentSnapshot(user, fingerprint, null, [], DetailFailed: true));
                }
            }
            fetched.Add(new CourseSnapshot(detail, enrollments));
        }
        await report(new SyncStep("fetched", courses.Count, courses.Count, $"{client.CallCount} API calls, {skipped} unchanged enrolments skipped"));
        return new SyncSnapshot(users, courses, fetched, failures, skipped);
    }

    /// <summary>What changes whenever a learner does anything in the course (time spent grows with any activity).</summary>
    public static string Fingerprint(TlmsCourse course, TlmsCourseUser user) => string.Join('|',
        user.Role, user.CompletionPercentage.ToString(CultureInfo.InvariantCulture),
        user.CompletedOn?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) ?? "",
        user.ExpiredOn?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) ?? "",
        user.TotalTimeSeconds.ToString(CultureInfo.InvariantCulture), course.LastUpdateOn);

    /// <summary>A rejected key or an exhausted quota fails every later call too: abort instead of recording each.</summary>
    public static bool IsFatal(Exception e) =>
        e is TalentLmsRateLimitedException or TalentLmsApiException { IsUnauthorized: true };

    public static bool IsTalentLmsFailure(Exception e) =>
        e is TalentLmsApiException or TalentLmsFormatException or TalentLmsRateLimitedException or HttpRequestException
            or Polly.Timeout.TimeoutRejectedException;
}
