using Genie.Contracts.Lms.V1;
using Google.Protobuf.WellKnownTypes;

namespace Genie.Web.Learning;

/// <summary>How LMS facts read on the pages: dates, statuses, badges.</summary>
public static class LmsText
{
    public static string When(Timestamp? at) => at is null ? "—" : at.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm") + " UTC";

    public static string Day(Timestamp? at) => at is null ? "—" : at.ToDateTimeOffset().ToString("yyyy-MM-dd");

    public static string Status(CourseStatus status) => status switch
    {
        CourseStatus.NotStarted => "not started",
        CourseStatus.InProgress => "in progress",
        CourseStatus.Completed => "completed",
        _ => "unknown",
    };

    public static string StatusBadge(CourseStatus status) => status switch
    {
        CourseStatus.Completed => "badge-ok",
        CourseStatus.InProgress => "badge-info",
        _ => "badge",
    };

    public static string State(SyncState state) => state switch
    {
        SyncState.Running => "running",
        SyncState.Succeeded => "succeeded",
        SyncState.Partial => "partial",
        SyncState.Failed => "failed",
        _ => "unknown",
    };

    public static string StateBadge(SyncState state) => state switch
    {
        SyncState.Succeeded => "badge-ok",
        SyncState.Partial => "badge-warn",
        SyncState.Failed => "badge-error",
        _ => "badge-info",
    };

    public static string Rule(ReminderRule rule) => rule switch
    {
        ReminderRule.NoProgress => "No progress",
        ReminderRule.DueSoon => "Due soon",
        ReminderRule.FailedTest => "Failed test",
        _ => "Reminder",
    };

    public static string Duration(long seconds) => seconds switch
    {
        < 60 => $"{seconds} s",
        < 3600 => $"{seconds / 60} min",
        _ => $"{seconds / 3600} h {seconds % 3600 / 60} min",
    };

    public static string Score(double percent) => percent.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + "%";
}
