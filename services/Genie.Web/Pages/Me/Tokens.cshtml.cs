using Genie.Web.AccessTokens;
using Genie.Web.Audit;
using Genie.Web.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Genie.Web.Pages.Me;

/// <summary>Personal access tokens: for internal tools that call Genie's gRPC services as you.</summary>
public sealed class TokensModel(PersonalAccessTokens tokens, AuditLog audit) : PageModel
{
    public IReadOnlyList<PersonalAccessToken> Tokens { get; private set; } = [];

    [BindProperty]
    public string Name { get; set; } = "";

    /// <summary>The secret of a token just created: shown on this response only.</summary>
    public string? NewSecret { get; private set; }

    public async Task OnGetAsync() => Tokens = await tokens.ListAsync(User.UserId(), HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostCreateAsync()
    {
        Name = (Name ?? "").Trim();
        if (Name.Length is 0 or > 80)
            ModelState.AddModelError(nameof(Name), "Give the token a name of 1 to 80 characters, e.g. the tool that uses it.");
        if (ModelState.IsValid)
        {
            var created = await tokens.CreateAsync(User.UserId(), Name, HttpContext.RequestAborted);
            if (created is null)
                ModelState.AddModelError(nameof(Name), $"You already have {PersonalAccessTokens.MaxPerUser} active tokens. Revoke one first.");
            else
            {
                NewSecret = created.Value.Secret;
                await audit.WriteAsync(AuditActor.From(User), "token.create", User.Email(), $"token '{Name}'", HttpContext.RequestAborted);
                Name = "";
            }
        }
        // Rendered directly (no redirect), so the secret never lands in TempData or a URL.
        Response.Headers.CacheControl = "no-store";
        Tokens = await tokens.ListAsync(User.UserId(), HttpContext.RequestAborted);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id)
    {
        if (await tokens.RevokeAsync(User.UserId(), id, HttpContext.RequestAborted))
        {
            await audit.WriteAsync(AuditActor.From(User), "token.revoke", User.Email(), $"token {id}", HttpContext.RequestAborted);
            TempData["Flash"] = "The token has been revoked. Tools using it stop working at their next exchange.";
        }
        else
            TempData["FlashError"] = "That token was not found or is already revoked.";
        return RedirectToPage();
    }
}
