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
        app.UsePortal();
        app.MapDefaultEndpoints();
        return app;
    }
}
