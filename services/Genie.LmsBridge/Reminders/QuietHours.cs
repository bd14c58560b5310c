namespace Genie.LmsBridge.Reminders;

/// <summary>A learner's quiet preference: off entirely, or a daily window in their time zone.</summary>
public sealed record ReminderPreferenceRecord(bool Quiet, TimeOnly? QuietStart, TimeOnly? QuietEnd, string TimeZone, bool Slack = false)
{
    public static readonly ReminderPreferenceRecord Default = new(false, null, null, "UTC");

    /// <summary>True when deliveries should be held back at <paramref name="now"/>. A window whose start is after its end wraps midnight.</summary>
    public bool IsQuietAt(DateTimeOffset now)
    {
        if (Quiet)
            return true;
        if (QuietStart is not { } start || QuietEnd is not { } end || start == end)
            return false;
        var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById(TimeZone)).DateTime);
        return start < end ? local >= start && local < end : local >= start || local < end;
    }
}
