using Genie.Contracts.Lms.V1;
using Genie.ServiceDefaults.Auth;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace Genie.LmsBridge;

public sealed partial class LmsHandler
{
    // The caller's own choice only; the rest of their preferences stay as stored (no get-then-set from the client).
    [Authorize(Roles = Roles.Admin + "," + Roles.Instructor + "," + Roles.Learner)]
    public override async Task<ReminderPreferences> SetSlackReminders(SetSlackRemindersRequest request, ServerCallContext context) =>
        ToProto(await reminders.SetSlackAsync(context.GetCaller().Email, request.Slack, context.CancellationToken));
}
