using System.Security.Claims;
using Grpc.Core;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Genie.ServiceDefaults.Auth;

public static class CallerIdentityExtensions
{
    /// <summary>The authenticated caller of this rpc, from the validated bearer token (never from a request field).</summary>
    public static CallerIdentity GetCaller(this ServerCallContext context)
    {
        var http = context.GetHttpContext();
        return http.Items[typeof(CallerIdentity)] as CallerIdentity
            ?? (CallerIdentity)(http.Items[typeof(CallerIdentity)] = FromPrincipal(http.User, BearerToken(http.Request.Headers.Authorization)));
    }

    public static CallerIdentity FromPrincipal(ClaimsPrincipal user, string token)
    {
        if (user.Identity?.IsAuthenticated != true)
            throw new RpcException(new Status(StatusCode.Unauthenticated, "A bearer token is required (authorization: Bearer <token>)."));
        string Claim(string type) => user.FindFirst(type)?.Value ?? "";
        var expires = long.TryParse(Claim(JwtRegisteredClaimNames.Exp), out var exp) ? DateTimeOffset.FromUnixTimeSeconds(exp) : DateTimeOffset.MaxValue;
        return new CallerIdentity(
            Claim(JwtRegisteredClaimNames.Sub),
            Claim(JwtRegisteredClaimNames.Email),
            Claim(JwtRegisteredClaimNames.Name),
            Claim(GenieAuthentication.RoleClaim),
            token,
            expires);
    }

    private static string BearerToken(string? authorization) =>
        authorization is { } value && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? value["Bearer ".Length..].Trim() : "";
}
