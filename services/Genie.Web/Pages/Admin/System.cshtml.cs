using Genie.Web.SystemHealth;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Genie.Web.Pages.Admin;

public sealed class SystemModel(SystemStatus status) : PageModel
{
    public IReadOnlyList<ServiceStatus> Services { get; private set; } = [];

    public async Task OnGetAsync() => Services = await status.CheckAllAsync(User, HttpContext.RequestAborted);
}
