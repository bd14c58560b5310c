using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Genie.Web.Pages.Errors;

/// <summary>Renders error status codes (re-executed by the status code pages middleware).</summary>
[AllowAnonymous, IgnoreAntiforgeryToken]
public sealed class StatusModel : PageModel
{
    public int Code { get; private set; }

    public (string Title, string Text) Message => Code switch
    {
        403 => ("You don't have access to this page", "Your role doesn't include this part of the portal. If you think it should, ask an administrator."),
        404 => ("Page not found", "The page you asked for doesn't exist or has moved."),
        400 => ("That request didn't work", "The form may have expired. Go back, reload the page and try again."),
        410 => ("This link no longer works", "It has expired or was already used."),
        >= 500 => ("Something went wrong on our side", "The problem has been logged. Try again in a moment."),
        _ => ("Something went wrong", "Go back and try again."),
    };

    public void OnGet(int code) => Code = code;

    public void OnPost(int code) => Code = code;
}
