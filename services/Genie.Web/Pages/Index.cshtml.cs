using Genie.Contracts.Lms.V1;
using Grpc.Core;
using Genie.Web.Backends;
using Genie.Web.Bots;
using Genie.Web.Identity;
using Genie.Web.Setup;
using Genie.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Genie.Web.Pages;

public sealed class IndexModel(BotAssignments assignments, BackendClients backends, UserCalls calls, FirstRunChecklist checklist, ILogger<IndexModel> logger) : PageModel
{
    public IReadOnlyList<Bot> Bots { get; private set; } = [];

    /// <summary>Reminders to show now (LmsBridge honours the learner's quiet preference for these).</summary>
    public IReadOnlyList<Reminder> Reminders { get; private set; } = [];

    /// <summary>For admins, until every step is done: what to set up next.</summary>
    public IReadOnlyList<SetupStep> Setup { get; private set; } = [];

    public bool IsAdmin => User.Role() == Roles.Admin;

    public async Task OnGetAsync()
    {
        var reminders = RemindersAsync();
        Bots = await assignments.AvailableToAsync(User.UserId(), User.Role(), HttpContext.RequestAborted);
        if (IsAdmin)
        {
            var steps = await checklist.StepsAsync(User, HttpContext.RequestAborted);
            Setup = steps.All(s => s.Done) ? [] : steps;
        }
        Reminders = await reminders;
    }

    /// <summary>The home page never fails for want of LmsBridge: without it there are simply no reminders.</summary>
    private async Task<IReadOnlyList<Reminder>> RemindersAsync()
    {
        try
        {
            var response = await backends.Lms.ListRemindersAsync(new ListRemindersRequest { ForDelivery = true },
                calls.For(User, HttpContext.RequestAborted, TimeSpan.FromSeconds(5)));
            return response.Reminders;
        }
        catch (RpcException e)
        {
            if (e.StatusCode != Grpc.Core.StatusCode.Unavailable)
                logger.LogWarning("Reminders for the home page failed: {Status} {Detail}", e.StatusCode, e.Status.Detail);
            return [];
        }
    }
}
