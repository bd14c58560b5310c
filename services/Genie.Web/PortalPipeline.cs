using Genie.Web.Mcp;

namespace Genie.Web;

/// <summary>The portal's HTTP pipeline: errors, static assets, security headers, auth, pages.</summary>
public static class PortalPipeline
{
    public static WebApplication UsePortal(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
            app.UseExceptionHandler("/Errors/500");
        app.UseStatusCodePagesWithReExecute("/Errors/{0}");
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
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRazorPages();
        app.MapGenieMcp();
        return app;
    }
}
