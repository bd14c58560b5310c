using Genie.Contracts.Retrieval.V1;
using Grpc.Core;
using Genie.Web.Audit;
using Genie.Web.Backends;
using Genie.Web.Pages.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Genie.Web.Pages.Admin;

public sealed class AuditModel(AuditLog audit, BackendClients backends, UserCalls calls, ILogger<AuditModel> logger) : PageModel
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

    /// <summary>Knowledge-base ids (the target of kb.* entries) → their names, as Retrieval reports them now.</summary>
    public IReadOnlyDictionary<string, string> TargetNames { get; private set; } = new Dictionary<string, string>();

    public async Task OnGetAsync()
    {
        (Entries, Total) = await audit.ListAsync(Query, PageNumber, PageSize, HttpContext.RequestAborted);
        if (Entries.Any(e => e.Action.StartsWith("kb.", StringComparison.Ordinal)))
            TargetNames = await KnowledgeBaseNamesAsync();
    }

    /// <summary>A deleted knowledge base (or Retrieval being down) leaves its id shown: the log itself never fails.</summary>
    private async Task<IReadOnlyDictionary<string, string>> KnowledgeBaseNamesAsync()
    {
        try
        {
            var listed = await backends.Retrieval.ListKnowledgeBasesAsync(new ListKnowledgeBasesRequest(),
                calls.For(User, HttpContext.RequestAborted, TimeSpan.FromSeconds(10)));
            return listed.KnowledgeBases.ToDictionary(kb => kb.Id, kb => kb.Name);
        }
        catch (RpcException e)
        {
            logger.LogWarning("Knowledge-base names for the audit log are not available: {Status} {Detail}", e.StatusCode, e.Status.Detail);
            return new Dictionary<string, string>();
        }
    }
}
