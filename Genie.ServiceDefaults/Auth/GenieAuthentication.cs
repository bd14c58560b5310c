using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Genie.ServiceDefaults.Auth;

/// <summary>
/// Every gRPC call but health carries <c>authorization: Bearer &lt;JWT&gt;</c> (HS256, issuer and audience
/// "genie", the shared signing key). ASP.NET Core's JwtBearer validates it; Grpc.AspNetCore turns a
/// failed authentication into UNAUTHENTICATED and a failed role check into PERMISSION_DENIED.
/// </summary>
public static class GenieAuthentication
{
    /// <summary>The policy every gRPC service is mapped with: a valid bearer token with a known role.</summary>
    public const string GrpcPolicy = "genie-grpc";

    public const string RoleClaim = "role";

    internal static void AddGenieAuthentication(this WebApplicationBuilder builder, AuthOptions options)
    {
        builder.Services.AddAuthentication()
            .AddJwtBearer(JwtBearerDefaults.AuthenticationScheme, jwt => jwt.MapInboundClaims = false);
        // Lifetimes are judged by the app's clock (tests move a manual one), like the tokens it issues.
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<TimeProvider>((jwt, time) => jwt.TokenValidationParameters = ValidationParameters(options, time));
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(GrpcPolicy, policy => policy
                .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireClaim(RoleClaim, [.. Roles.People, Roles.Service]));
    }

    public static TokenValidationParameters ValidationParameters(AuthOptions options, TimeProvider time) => new()
    {
        ValidIssuer = AuthOptions.Issuer,
        ValidAudience = AuthOptions.Audience,
        IssuerSigningKey = new SymmetricSecurityKey(options.SigningKey),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ClockSkew = TimeSpan.FromSeconds(30),
        RequireExpirationTime = true,
        LifetimeValidator = (notBefore, expires, _, parameters) =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            return expires is { } end && end > now - parameters.ClockSkew && (notBefore is not { } start || start <= now + parameters.ClockSkew);
        },
        NameClaimType = "name",
        RoleClaimType = RoleClaim,
    };
}
