using Genie.ServiceDefaults.Auth;
using Genie.Web.Identity;
using Genie.Web.Notifications;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Genie.Web.Pages.Dashboard;

public sealed class IndexModel(UserStore users, NotificationStore notifications, TimeProvider time) : PageModel
{
    public UserCounts Counts { get; private set; } = new(0, 0, 0, 0, 0, 0);

    public int NotificationsNeedingAttention { get; private set; }

    public async Task OnGetAsync()
    {
        Counts = await users.CountAsync(time.GetUtcNow().UtcDateTime.AddDays(-7), HttpContext.RequestAborted);
        if (User.IsInRole(Roles.Admin))
            NotificationsNeedingAttention = await notifications.CountNeedingAttentionAsync(HttpContext.RequestAborted);
    }
}
