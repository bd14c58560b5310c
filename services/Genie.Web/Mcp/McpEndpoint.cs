using Microsoft.AspNetCore.Authentication;

namespace Genie.Web.Mcp;

/// <summary>
/// Genie as a Model Context Protocol server: Streamable HTTP at <c>/mcp</c> on the portal's HTTP endpoint, every
/// request authenticated by a personal access token and every tool run as that token's owner.
/// </summary>
public static class McpEndpoint
{
    public const string Path = "/mcp";

    private const string Policy = "mcp";

    public static IServiceCollection AddGenieMcp(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, PersonalAccessTokenAuthentication>(PersonalAccessTokenAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p
            .AddAuthenticationSchemes(PersonalAccessTokenAuthentication.SchemeName)
            .RequireAuthenticatedUser());
        services.AddMcpServer(o => o.ServerInfo = new() { Name = "genie", Title = "Genie Mentor", Version = typeof(McpEndpoint).Assembly.GetName().Version?.ToString() ?? "1.0" })
            // Stateless: each request carries its token and runs on its own, so any replica can answer it.
            .WithHttpTransport(o => o.Stateless = true)
            .WithTools<GenieTools>();
        return services;
    }

    public static IEndpointConventionBuilder MapGenieMcp(this IEndpointRouteBuilder app) =>
        app.MapMcp(Path).RequireAuthorization(Policy).DisableAntiforgery();
}
