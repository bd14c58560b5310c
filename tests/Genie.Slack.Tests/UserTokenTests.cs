using Genie.Contracts.Portal.V1;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Genie.Web.Identity;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Genie.Slack.Tests;

/// <summary>PortalService.IssueUserToken: only the Slack service's credential, only for an active user.</summary>
public sealed class UserTokenTests(SlackSystem system) : IClassFixture<SlackSystem>
{
    [Fact]
    public async Task The_Slack_service_gets_a_token_acting_as_an_active_user()
    {
        var (genieId, _) = await system.AddPersonAsync();
        var email = (await Users.FindByIdAsync(genieId))!.Email;

        var issued = await CallAsync(Tokens.IssueForService("slack"), email.ToUpperInvariant());

        Assert.Equal(genieId.ToString(), issued.UserId);
        Assert.Equal(Roles.Learner, issued.Role);
        var validated = await new JsonWebTokenHandler().ValidateTokenAsync(issued.AccessToken,
            GenieAuthentication.ValidationParameters(system.Portal.Services.GetRequiredService<AuthOptions>(), TimeProvider.System));
        Assert.True(validated.IsValid);
        Assert.Equal(genieId.ToString(), validated.ClaimsIdentity.FindFirst(JwtRegisteredClaimNames.Sub)!.Value);
        Assert.True(issued.ExpiresAt.ToDateTimeOffset() <= DateTimeOffset.UtcNow.AddMinutes(11));
    }

    [Theory]
    [InlineData(Roles.Learner)]
    [InlineData(Roles.Admin)]
    [InlineData("other-service")]
    public async Task Anyone_but_the_Slack_service_is_refused(string who)
    {
        var (genieId, _) = await system.AddPersonAsync();
        var email = (await Users.FindByIdAsync(genieId))!.Email;
        var token = who == "other-service" ? Tokens.IssueForService("agent") : Tokens.Issue(genieId.ToString(), email, "x", who);

        var error = await Assert.ThrowsAsync<RpcException>(() => CallAsync(token, email));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task No_token_is_unauthenticated()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => CallAsync(null, "someone@genie.test"));
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task Deactivated_and_unknown_people_get_no_token()
    {
        var (genieId, _) = await system.AddPersonAsync();
        var user = (await Users.FindByIdAsync(genieId))!;
        await Users.UpdateProfileAsync(genieId, user.DisplayName, user.Role, active: false);

        var deactivated = await Assert.ThrowsAsync<RpcException>(() => CallAsync(Tokens.IssueForService("slack"), user.Email));
        var unknown = await Assert.ThrowsAsync<RpcException>(() => CallAsync(Tokens.IssueForService("slack"), "nobody@genie.test"));
        var empty = await Assert.ThrowsAsync<RpcException>(() => CallAsync(Tokens.IssueForService("slack"), " "));

        Assert.Equal(StatusCode.NotFound, deactivated.StatusCode);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, empty.StatusCode);
        Assert.Contains("email", empty.Status.Detail);
    }

    private UserStore Users => system.Portal.Services.GetRequiredService<UserStore>();

    private TokenService Tokens => system.Slack.Tokens;

    private async Task<ExchangeTokenResponse> CallAsync(string? bearer, string email)
    {
        using var channel = GrpcChannel.ForAddress(system.PortalGrpcAddress);
        var options = bearer is null ? new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30)) : BearerToken.Options(bearer, TimeSpan.FromSeconds(30));
        return await new PortalService.PortalServiceClient(channel).IssueUserTokenAsync(new IssueUserTokenRequest { Email = email }, options);
    }
}
