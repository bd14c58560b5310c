using System.ComponentModel.DataAnnotations;
using Genie.Contracts.Retrieval.V1;
using Grpc.Core;
using Genie.Web.Audit;
using Genie.Web.Backends;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Genie.Web.Pages.Dashboard.Knowledge;

/// <summary>The knowledge bases the caller can see (Retrieval decides), and creating one.</summary>
public sealed class IndexModel(BackendClients backends, UserCalls calls, AuditLog audit) : PageModel
{
    public IReadOnlyList<KnowledgeBase> KnowledgeBases { get; private set; } = [];

    public string? Error { get; private set; }

    [BindProperty]
    [Required(ErrorMessage = "Give the knowledge base a name.")]
    [StringLength(120)]
    public string Name { get; set; } = "";

    [BindProperty]
    [StringLength(2000)]
    public string? Description { get; set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostCreateAsync()
    {
        if (ModelState.IsValid)
        {
            try
            {
                var kb = await backends.Retrieval.CreateKnowledgeBaseAsync(
                    new CreateKnowledgeBaseRequest { Name = Name.Trim(), Description = (Description ?? "").Trim(), Grants = new Grants() },
                    calls.For(User, HttpContext.RequestAborted, TimeSpan.FromSeconds(30)));
                await audit.WriteAsync(AuditActor.From(User), "kb.create", kb.Id, kb.Name, HttpContext.RequestAborted);
                TempData["Flash"] = $"Knowledge base \"{kb.Name}\" created. Add documents, then grant it to people.";
                return RedirectToPage("/Dashboard/Knowledge/Base", new { id = kb.Id });
            }
            catch (RpcException e) when (BackendErrors.AddToModelState(e, ModelState, new Dictionary<string, string> { ["name"] = nameof(Name), ["description"] = nameof(Description) }))
            {
            }
            catch (RpcException e)
            {
                ModelState.AddModelError("", BackendErrors.Describe(e, "Retrieval"));
            }
        }
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        try
        {
            KnowledgeBases = (await backends.Retrieval.ListKnowledgeBasesAsync(new ListKnowledgeBasesRequest(),
                calls.For(User, HttpContext.RequestAborted, TimeSpan.FromSeconds(15)))).KnowledgeBases;
        }
        catch (RpcException e)
        {
            Error = BackendErrors.Describe(e, "Retrieval");
        }
    }
}
