using Genie.Web.Audit;
using Genie.Web.Pages.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Genie.Web.Pages.Admin;

public sealed class AuditModel(AuditLog audit) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public int Total { get; private set; }

    public PagerModel Pager => new(Math.Max(1, PageNumber), Math.Max(1, (Total + PageSize - 1) / PageSize), "/Admin/Audit",
        new Dictionary<string, string?> { ["q"] = Query });

    public async Task OnGetAsync() =>
        (Entries, Total) = await audit.ListAsync(Query, PageNumber, PageSize, HttpContext.RequestAborted);
}
