using Genie.Web.Bots;
using Genie.Web.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Genie.Web.Pages;

public sealed class IndexModel(BotAssignments assignments) : PageModel
{
    public IReadOnlyList<Bot> Bots { get; private set; } = [];

    public async Task OnGetAsync() =>
        Bots = await assignments.AvailableToAsync(User.UserId(), User.Role(), HttpContext.RequestAborted);
}
