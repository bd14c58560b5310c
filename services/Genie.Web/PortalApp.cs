using Genie.ServiceDefaults;
using Genie.ServiceDefaults.Database;

namespace Genie.Web;

/// <summary>Builds the portal application; Program.cs runs it and tests host it on loopback.</summary>
public static class PortalApp
{
    public static WebApplication Build(WebApplicationOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(options);
        configure?.Invoke(builder);
        builder.AddServiceDefaults("web");
        builder.AddGenieDatabase("portal", typeof(PortalApp).Assembly);
        builder.AddPortal();
        var app = builder.Build();
        // gRPC (HTTP/2 endpoint) and health first; the portal pipeline serves the HTTP/1.1 endpoint.
        app.MapDefaultEndpoints();
        app.UsePortal();
        return app;
    }
}
