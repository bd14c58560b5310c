using Genie.ServiceDefaults.Auth;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Genie.ServiceDefaults.Tests.Auth;

/// <summary>Tokens the services issue are the ones JwtBearer accepts, with the caller's claims, until they expire.</summary>
public sealed class TokenServiceTests
{
    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static AuthOptions NewKey() => new() { SigningKey = AuthOptions.DecodeKey(AuthOptions.GenerateKey()) };

    [Fact]
    public async Task An_issued_token_passes_the_services_validation_with_its_claims()
    {
        var options = NewKey();
        var token = new TokenService(options).Issue("u-42", "ada@example.test", "Ada", Roles.Instructor);

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, GenieAuthentication.ValidationParameters(options, TimeProvider.System));

        Assert.True(result.IsValid, result.Exception?.Message);
        string Claim(string type) => result.ClaimsIdentity.FindFirst(type)!.Value;
        Assert.Equal(("u-42", "ada@example.test", "Ada", Roles.Instructor),
            (Claim(JwtRegisteredClaimNames.Sub), Claim(JwtRegisteredClaimNames.Email), Claim(JwtRegisteredClaimNames.Name), Claim(GenieAuthentication.RoleClaim)));
    }

    [Fact]
    public async Task A_token_expires_by_the_apps_clock()
    {
        var options = NewKey();
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var token = new TokenService(options, clock).Issue("u", "u@example.test", "U", Roles.Learner, TimeSpan.FromMinutes(1));
        var parameters = GenieAuthentication.ValidationParameters(options, clock);
        var handler = new JsonWebTokenHandler();
        Assert.True((await handler.ValidateTokenAsync(token, parameters)).IsValid);

        clock.Now += TimeSpan.FromMinutes(5);

        Assert.False((await handler.ValidateTokenAsync(token, parameters)).IsValid);
    }

    [Fact]
    public void Short_signing_keys_are_refused() =>
        Assert.Throws<InvalidOperationException>(() => AuthOptions.DecodeKey(Convert.ToBase64String(new byte[16])));
}
