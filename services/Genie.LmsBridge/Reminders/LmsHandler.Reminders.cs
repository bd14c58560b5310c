using System.Globalization;
using Genie.Contracts.Lms.V1;
using Genie.LmsBridge.Progress;
using Genie.LmsBridge.Reminders;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace Genie.LmsBridge;

public sealed partial class LmsHandler
{
    [Authorize(Roles = Roles.Admin + "," + Roles.Instructor + "," + Roles.Learner)]
    public override async Task<ListRemindersResponse> ListReminders(ListRemindersRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var email = context.GetCaller().Email;
        var response = new ListRemindersResponse();
        if (request.ForDelivery && (await reminders.GetPreferencesAsync(email, ct)).IsQuietAt(time.GetUtcNow()))
        {
            response.QuietNow = true;
            return response;
        }
        response.Reminders.AddRange((await reminders.ListAsync(email, request.IncludeClosed, ct)).Select(ToProto));
        return response;
    }

    [Authorize(Roles = Roles.Admin + "," + Roles.Instructor + "," + Roles.Learner)]
    public override async Task<Reminder> AcknowledgeReminder(AcknowledgeReminderRequest request, ServerCallContext context)
    {
        if (!long.TryParse(request.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            throw RpcErrors.InvalidArgument("id", $"'{request.Id}' is not a reminder id");
        // Someone else's reminder looks exactly like a missing one.
        var acknowledged = await reminders.AcknowledgeAsync(context.GetCaller().Email, id, context.CancellationToken)
            ?? throw RpcErrors.NotFound("reminder", request.Id);
        return ToProto(acknowledged);
    }

    [Authorize(Roles = Roles.Admin + "," + Roles.Instructor + "," + Roles.Learner)]
    public override async Task<ReminderPreferences> GetReminderPreferences(GetReminderPreferencesRequest request, ServerCallContext context) =>
        ToProto(await reminders.GetPreferencesAsync(context.GetCaller().Email, context.CancellationToken));

    [Authorize(Roles = Roles.Admin + "," + Roles.Instructor + "," + Roles.Learner)]
    public override async Task<ReminderPreferences> SetReminderPreferences(ReminderPreferences request, ServerCallContext context)
    {
        var zone = string.IsNullOrWhiteSpace(request.TimeZone) ? "UTC" : request.TimeZone.Trim();
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
            throw RpcErrors.InvalidArgument("time_zone", $"'{zone}' is not a known time zone (use an IANA id such as Europe/Athens)");
        var start = ParseTime(request.QuietHoursStart, "quiet_hours_start");
        var end = ParseTime(request.QuietHoursEnd, "quiet_hours_end");
        if ((start is null) != (end is null))
            throw RpcErrors.InvalidArgument(start is null ? "quiet_hours_start" : "quiet_hours_end", "quiet hours need both a start and an end");
        var preferences = new ReminderPreferenceRecord(request.Quiet, start, end, zone, request.Slack);
        await reminders.SetPreferencesAsync(context.GetCaller().Email, preferences, context.CancellationToken);
        return ToProto(preferences);
    }

    private static TimeOnly? ParseTime(string value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        return TimeOnly.TryParseExact(value.Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw RpcErrors.InvalidArgument(field, $"'{value}' is not a time of day (HH:mm, 24h)");
    }

    private static Reminder ToProto(ReminderRecord r) => new()
    {
        Id = r.Id.ToString(CultureInfo.InvariantCulture),
        Rule = r.Rule switch
        {
            ReminderRuleNames.NoProgress => ReminderRule.NoProgress,
            ReminderRuleNames.DueSoon => ReminderRule.DueSoon,
            ReminderRuleNames.FailedTest => ReminderRule.FailedTest,
            _ => ReminderRule.Unspecified,
        },
        CourseId = r.CourseId,
        CourseName = r.CourseName,
        Reason = r.Reason,
        NextUnitUrl = r.NextUnitUrl,
        CreatedAt = ProgressMapper.Stamp(r.CreatedAt),
        AcknowledgedAt = ProgressMapper.Stamp(r.AcknowledgedAt),
        ResolvedAt = ProgressMapper.Stamp(r.ResolvedAt),
    };

    private static ReminderPreferences ToProto(ReminderPreferenceRecord p) => new()
    {
        Quiet = p.Quiet,
        QuietHoursStart = p.QuietStart?.ToString("HH:mm", CultureInfo.InvariantCulture) ?? "",
        QuietHoursEnd = p.QuietEnd?.ToString("HH:mm", CultureInfo.InvariantCulture) ?? "",
        TimeZone = p.TimeZone,
        Slack = p.Slack,
    };
}
