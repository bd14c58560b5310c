using Genie.ServiceDefaults.Auth;

namespace Genie.ServiceDefaults.Tests.Auth;

public sealed class TokenServiceTests
{
    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static AuthOptions NewKey() => new() { SigningKey = AuthOptions.DecodeKey(AuthOptions.GenerateKey()) };

    [Fact]
    public async Task An_issued_token_validates_with_its_claims()
    {
        var tokens = new TokenService(NewKey());
        var (caller, error) = await tokens.ValidateAsync(tokens.Issue("u-42", "ada@example.test", "Ada", Roles.Instructor));
        Assert.Null(error);
        Assert.Equal(("u-42", "ada@example.test", "Ada", Roles.Instructor), (caller!.UserId, caller.Email, caller.Name, caller.Role));
    }

    [Fact]
    public async Task A_remembered_token_still_expires()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var tokens = new TokenService(NewKey(), clock);
        var token = tokens.Issue("u", "u@example.test", "U", Roles.Learner, TimeSpan.FromMinutes(1));
        Assert.NotNull((await tokens.ValidateAsync(token)).Caller);
        clock.Now += TimeSpan.FromMinutes(5);
        var (caller, error) = await tokens.ValidateAsync(token);
        Assert.Null(caller);
        Assert.Contains("expired", error);
    }

    [Fact]
    public async Task A_token_with_an_unknown_role_is_rejected()
    {
        var tokens = new TokenService(NewKey());
        var (caller, error) = await tokens.ValidateAsync(tokens.Issue("u", "u@example.test", "U", "superuser"));
        Assert.Null(caller);
        Assert.Contains("role", error);
    }

    [Fact]
    public void Short_signing_keys_are_refused() =>
        Assert.Throws<InvalidOperationException>(() => AuthOptions.DecodeKey(Convert.ToBase64String(new byte[16])));
}
