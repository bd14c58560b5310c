using Genie.Web.Pages.Dashboard.Knowledge;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Genie.Web.Mcp;
using Genie.ServiceDefaults.Limits;

namespace Genie.Web;

/// <summary>The portal's HTTP pipeline: errors, static assets, security headers, auth, pages.</summary>
public static class PortalPipeline
{
    public static WebApplication UsePortal(this WebApplication app)
    {
        if (PublicUrl.PathBase(app.Configuration) is { HasValue: true } pathBase)
            app.UsePathBase(pathBase);
        if (!app.Environment.IsDevelopment())
            app.UseExceptionHandler(new ExceptionHandlerOptions
            {
                ExceptionHandlingPath = "/Errors/500",
                // A request over Kestrel's or the form's size limit is the sender's problem (413), not ours.
                StatusCodeSelector = e => e switch
                {
                    BadHttpRequestException bad => bad.StatusCode,
                    InvalidDataException when e.Message.Contains("body length limit", StringComparison.Ordinal) => StatusCodes.Status413PayloadTooLarge,
                    _ => StatusCodes.Status500InternalServerError,
                },
            });
        // Error pages are for people; a gRPC caller refused with 401/403 gets the bare status, no HTML body.
        app.UseWhen(context => context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) != true,
            pages => pages.UseStatusCodePagesWithReExecute("/Errors/{0}"));
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers["X-Content-Type-Options"] = "nosniff";
            headers["X-Frame-Options"] = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            // Everything is served from here; no inline script, no third-party origin.
            headers["Content-Security-Policy"] =
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
            await next();
        });
        app.Use(async (context, next) =>
        {
            // A body over the upload limit gets a page that states the limit, before anything (anti-forgery
            // first of all) tries to read the form and fails with a vaguer error. A browser shows a response
            // only once it has sent its request, so a body up to a few times the limit is read and dropped;
            // a larger one is cut off.
            var length = context.Request.ContentLength;
            if (length > BaseModel.MaxRequestBytes && context.Features.Get<IStatusCodeReExecuteFeature>() is null)
            {
                if (length <= 4 * BaseModel.MaxRequestBytes && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                {
                    limit.MaxRequestBodySize = length;
                    await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
                }
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return;
            }
            await next(context);
        });
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseGenieLimits();
        app.MapRazorPages();
        app.MapGenieMcp();
        return app;
    }
}
