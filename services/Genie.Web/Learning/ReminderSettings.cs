using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Genie.Contracts.Lms.V1;

namespace Genie.Web.Learning;

/// <summary>
/// The Reminders section of <c>/Preferences</c>: LmsBridge's <see cref="ReminderPreferences"/> as a form, checked in
/// plain words before anything is sent (LmsBridge checks again and its refusals are shown the same way).
/// </summary>
public sealed class ReminderSettings
{
    /// <summary>rpc field → form field, for LmsBridge's INVALID_ARGUMENT details.</summary>
    public static readonly IReadOnlyDictionary<string, string> FormFields = new Dictionary<string, string>
    {
        ["quiet_hours_start"] = "Reminders.QuietHoursStart",
        ["quiet_hours_end"] = "Reminders.QuietHoursEnd",
        ["time_zone"] = "Reminders.TimeZone",
    };

    /// <summary>The IANA time zones this machine knows, for the select.</summary>
    public static readonly IReadOnlyList<string> TimeZones = TimeZoneInfo.GetSystemTimeZones()
        .Where(z => z.HasIanaId).Select(z => z.Id).Append("UTC").Distinct().Order(StringComparer.Ordinal).ToList();

    [Display(Name = "Pause all reminders")]
    public bool Paused { get; set; }

    [Display(Name = "From")]
    public string? QuietHoursStart { get; set; }

    [Display(Name = "To")]
    public string? QuietHoursEnd { get; set; }

    [Display(Name = "Time zone")]
    public string? TimeZone { get; set; }

    [Display(Name = "Send reminders as Slack DMs")]
    public bool Slack { get; set; }

    /// <summary>The Slack choice as the page showed it, so an unchanged box never undoes a change made in Slack meanwhile.</summary>
    public bool SlackShown { get; set; }

    public static ReminderSettings From(ReminderPreferences p) => new()
    {
        Paused = p.Quiet,
        QuietHoursStart = p.QuietHoursStart,
        QuietHoursEnd = p.QuietHoursEnd,
        TimeZone = string.IsNullOrEmpty(p.TimeZone) ? "UTC" : p.TimeZone,
        Slack = p.Slack,
        SlackShown = p.Slack,
    };

    /// <summary>Each problem as (form field, sentence); empty when the form can be saved.</summary>
    public IEnumerable<(string Field, string Problem)> Problems()
    {
        var zone = (TimeZone ?? "").Trim();
        if (zone.Length == 0)
            yield return ("Reminders.TimeZone", "Choose your time zone.");
        else if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var found) || !found.HasIanaId)
            yield return ("Reminders.TimeZone", $"\"{Clip(zone)}\" is not a time zone we know. Choose one from the list, like Europe/Athens.");
        var start = Time(QuietHoursStart);
        var end = Time(QuietHoursEnd);
        if (start is false)
            yield return ("Reminders.QuietHoursStart", "Enter the start as a time of day, like 22:00.");
        if (end is false)
            yield return ("Reminders.QuietHoursEnd", "Enter the end as a time of day, like 07:00.");
        if (start is not false && end is not false && start.HasValue != end.HasValue)
            yield return (start.HasValue ? "Reminders.QuietHoursEnd" : "Reminders.QuietHoursStart", "Give quiet hours both a start and an end, or leave both empty.");
    }

    /// <summary>
    /// What to save: the fields on the form, and the Slack choice from the form only when the person changed it
    /// there (else the stored one, which <c>/genie reminders</c> in Slack may have changed since the page was shown).
    /// </summary>
    public ReminderPreferences ToPreferences(ReminderPreferences stored) => new()
    {
        Quiet = Paused,
        QuietHoursStart = (QuietHoursStart ?? "").Trim(),
        QuietHoursEnd = (QuietHoursEnd ?? "").Trim(),
        TimeZone = (TimeZone ?? "").Trim(),
        Slack = Slack != SlackShown ? Slack : stored.Slack,
    };

    /// <summary>null when empty, true when a time of day, false when not.</summary>
    private static bool? Time(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : TimeOnly.TryParseExact(value.Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static string Clip(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
