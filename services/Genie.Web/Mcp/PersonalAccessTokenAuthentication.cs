using System.Text.Encodings.Web;
using Genie.Web.AccessTokens;
using Genie.Web.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Genie.Web.Mcp;

/// <summary>
/// <c>Authorization: Bearer genie_pat_…</c>: the personal access token names the user an MCP request acts for.
/// A missing, unknown or revoked token (or a deactivated owner) is answered 401 with one plain sentence.
/// </summary>
public sealed class PersonalAccessTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    PersonalAccessTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "PersonalAccessToken";

    private const string BearerPrefix = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        var secret = header[BearerPrefix.Length..].Trim();
        var user = secret.Length == 0 ? null : await tokens.AuthenticateAsync(secret, Context.RequestAborted);
        if (user is null)
            return AuthenticateResult.Fail("unknown or revoked token");
        return AuthenticateResult.Success(new AuthenticationTicket(PortalPrincipal.Create(user), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var hasToken = Request.Headers.Authorization.ToString().StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase);
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        Response.ContentType = "text/plain; charset=utf-8";
        await Response.WriteAsync(hasToken
            ? "The personal access token is unknown or revoked, or its owner is deactivated. Create a new one in the portal under Access tokens."
            : "Genie's MCP server needs a personal access token: send it as 'Authorization: Bearer genie_pat_…' (create one in the portal under Access tokens).");
    }
}
