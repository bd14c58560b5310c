using System.Globalization;
using Genie.Contracts.Lms.V1;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace Genie.LmsBridge;

public sealed partial class LmsHandler
{
    /// <summary>The subject of the Slack service's own token.</summary>
    public const string SlackServiceSubject = "service:slack";
    private const string SlackChannel = "slack";

    [Authorize(Roles = Roles.Service)]
    public override async Task<ListSlackRemindersResponse> ListSlackReminders(ListSlackRemindersRequest request, ServerCallContext context)
    {
        RequireSlackService(context);
        var now = time.GetUtcNow();
        var response = new ListSlackRemindersResponse();
        foreach (var (email, preferences, reminder) in await reminders.ListUndeliveredAsync(SlackChannel, context.CancellationToken))
        {
            // Quiet hours and "no reminders" hold Slack back just as they hold back the portal's banners.
            if (!preferences.IsQuietAt(now))
                response.Items.Add(new SlackReminder { Email = email, Reminder = ToProto(reminder) });
        }
        return response;
    }

    [Authorize(Roles = Roles.Service)]
    public override async Task<MarkReminderDeliveredResponse> MarkReminderDelivered(MarkReminderDeliveredRequest request, ServerCallContext context)
    {
        RequireSlackService(context);
        if (request.Channel != SlackChannel)
            throw RpcErrors.InvalidArgument("channel", $"'{request.Channel}' is not a delivery channel (use \"slack\")");
        if (!long.TryParse(request.ReminderId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            throw RpcErrors.InvalidArgument("reminder_id", $"'{request.ReminderId}' is not a reminder id");
        var first = await reminders.MarkDeliveredAsync(id, SlackChannel, context.CancellationToken)
            ?? throw RpcErrors.NotFound("reminder", request.ReminderId);
        return new MarkReminderDeliveredResponse { FirstDelivery = first };
    }

    private static void RequireSlackService(ServerCallContext context)
    {
        if (context.GetCaller().UserId != SlackServiceSubject)
            throw RpcErrors.PermissionDenied("Only the Slack service delivers reminders on Slack.");
    }
}
