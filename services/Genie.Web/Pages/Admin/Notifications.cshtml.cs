using Genie.Web.Audit;
using Genie.Web.Notifications;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Genie.Web.Pages.Admin;

/// <summary>Outbound email: what was sent, what is retrying and why, what needs an admin.</summary>
public sealed class NotificationsModel(NotificationStore store, NotificationSignal signal, AuditLog audit, IOptions<SmtpOptions> smtp) : PageModel
{
    public IReadOnlyList<Notification> Notifications { get; private set; } = [];

    public bool SmtpConfigured => smtp.Value.IsConfigured;

    public async Task OnGetAsync() => Notifications = await store.RecentAsync(100, HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostRetryAsync(Guid id)
    {
        var notification = await store.FindAsync(id, HttpContext.RequestAborted);
        if (notification is null)
            return NotFound();
        if (await store.RetryNowAsync(id, HttpContext.RequestAborted))
        {
            signal.Notify();
            await audit.WriteAsync(AuditActor.From(User), "notification.retry", notification.Recipient, notification.Subject, HttpContext.RequestAborted);
            TempData["Flash"] = $"The email to {notification.Recipient} will be sent again in a moment.";
        }
        else
            TempData["FlashError"] = "That notification is not waiting to be sent.";
        return RedirectToPage();
    }
}
