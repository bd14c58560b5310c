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
        413 => ("That upload is too large", $"Files can be at most {Dashboard.Knowledge.BaseModel.Megabytes(Dashboard.Knowledge.BaseModel.MaxUploadBytes)} each. Go back and choose a smaller file."),
        >= 500 => ("Something went wrong on our side", "The problem has been logged. Try again in a moment."),
        _ => ("Something went wrong", "Go back and try again."),
    };

    // The code comes from the route only: a re-executed POST (say, an upload over the size limit) must not
    // have its body read again for model binding, which fails and would leave the code 0.
    public void OnGet() => Code = ResponseCode();

    public void OnPost() => Code = ResponseCode();

    // The exception handler re-executes /Errors/500 with the status it chose (e.g. 413), so that one wins.
    private int ResponseCode() =>
        Response.StatusCode >= 400 ? Response.StatusCode
        : int.TryParse(RouteData.Values["code"]?.ToString(), out var code) ? code : 500;
}
