using Genie.Web.Authorization;
using Genie.Web.Identity;
using Genie.Web.Pages.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Genie.Web.Pages.Dashboard.Users;

public sealed class IndexModel(UserStore users, IAuthorizationService authorization, TimeProvider time) : PageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    [BindProperty(SupportsGet = true, Name = "role")]
    public string? RoleFilter { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public UserPage Result { get; private set; } = new([], 0, 1, PageSize);

    public bool CanManage { get; private set; }

    public DateTime Now { get; private set; }

    public PagerModel Pager => new(Result.Page, Result.PageCount, "/Dashboard/Users",
        new Dictionary<string, string?> { ["q"] = Query, ["role"] = RoleFilter });

    public async Task OnGetAsync()
    {
        Now = time.GetUtcNow().UtcDateTime;
        if (RoleFilter is not null && !Genie.ServiceDefaults.Auth.Roles.IsPersonRole(RoleFilter))
            RoleFilter = null;
        Result = await users.SearchAsync(Query, RoleFilter, PageNumber, PageSize, HttpContext.RequestAborted);
        CanManage = (await authorization.AuthorizeAsync(User, Policies.ManageUsers)).Succeeded;
    }

    /// <summary>Instructors who may manage users manage learners only.</summary>
    public bool CanEdit(PortalUser user) => CanManage && (User.IsInRole(Genie.ServiceDefaults.Auth.Roles.Admin) || user.Role == Genie.ServiceDefaults.Auth.Roles.Learner);
}
