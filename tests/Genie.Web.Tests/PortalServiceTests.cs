using System.Net;
using Genie.Contracts.Portal.V1;
using Genie.ServiceDefaults.Auth;
using Genie.Web.Identity;
using Genie.Web.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Genie.Web.Tests;

/// <summary>Personal access tokens: created once in the portal, exchanged for JWTs over real gRPC.</summary>
public sealed class PortalServiceTests : IAsyncLifetime
{
    private PortalHost _host = null!;
    private GrpcChannel _channel = null!;
    private PortalService.PortalServiceClient _portal = null!;

    public async Task InitializeAsync()
    {
        _host = await PortalHost.StartAsync();
        _channel = GrpcChannel.ForAddress(_host.Get<IConfiguration>()["Kestrel:Endpoints:grpc:Url"]!);
        _portal = new PortalService.PortalServiceClient(_channel);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task A_token_created_in_the_portal_is_shown_once_and_exchanges_for_a_jwt_of_its_owner()
    {
        var user = await _host.CreateAsync(Roles.Instructor);
        using var client = await _host.SignedInClientAsync(user);
        var created = await client.PostFormAsync("/Me/Tokens", new { Name = "docs-cli" }, "/Me/Tokens?handler=Create");
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var secret = PortalBrowser.Parse(await created.Content.ReadAsStringAsync()).QuerySelector("#new-secret")!.TextContent.Trim();
        Assert.StartsWith("genie_pat_", secret);

        var (_, list) = await client.GetPageAsync("/Me/Tokens");
        Assert.DoesNotContain(secret, list.Body!.InnerHtml);
        Assert.Contains("docs-cli", list.Body.TextContent);

        var response = await _portal.ExchangeTokenAsync(new ExchangeTokenRequest { PersonalAccessToken = secret, LifetimeSeconds = 120 });
        var validated = await new JsonWebTokenHandler().ValidateTokenAsync(response.AccessToken,
            GenieAuthentication.ValidationParameters(_host.Get<AuthOptions>(), TimeProvider.System));
        Assert.True(validated.IsValid, validated.Exception?.Message);
        Assert.Equal(user.Id.ToString(), validated.ClaimsIdentity.FindFirst(JwtRegisteredClaimNames.Sub)!.Value);
        Assert.Equal(Roles.Instructor, validated.ClaimsIdentity.FindFirst(GenieAuthentication.RoleClaim)!.Value);
        Assert.InRange((validated.SecurityToken.ValidTo - DateTime.UtcNow).TotalSeconds, 60, 125);

        var (_, used) = await client.GetPageAsync("/Me/Tokens");
        Assert.DoesNotContain("never", used.QuerySelector("tbody tr")!.TextContent);
    }

    [Fact]
    public async Task A_revoked_token_or_a_deactivated_owner_is_refused()
    {
        var user = await _host.CreateAsync(Roles.Learner);
        var tokens = _host.Get<AccessTokens.PersonalAccessTokens>();
        var (token, secret) = (await tokens.CreateAsync(user.Id, "one"))!.Value;
        var (_, second) = (await tokens.CreateAsync(user.Id, "two"))!.Value;

        using var client = await _host.SignedInClientAsync(user);
        var revoke = await client.PostFormAsync("/Me/Tokens", [new("id", token.Id.ToString())], "/Me/Tokens?handler=Revoke");
        Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
        var revoked = await Assert.ThrowsAsync<RpcException>(() => ExchangeAsync(secret));
        Assert.Equal(StatusCode.Unauthenticated, revoked.StatusCode);

        Assert.NotNull(await ExchangeAsync(second));
        var before = await _host.Get<UserStore>().FindByIdAsync(user.Id);
        await _host.Get<UserAdministration>().UpdateAsync(Audit.AuditActor.System, before!, new UserChange(before!.DisplayName, before.Role, false));
        var deactivated = await Assert.ThrowsAsync<RpcException>(() => ExchangeAsync(second));
        Assert.Equal(StatusCode.Unauthenticated, deactivated.StatusCode);
    }

    [Fact]
    public async Task Someone_else_cannot_revoke_my_token()
    {
        var owner = await _host.CreateAsync(Roles.Learner);
        var (token, secret) = (await _host.Get<AccessTokens.PersonalAccessTokens>().CreateAsync(owner.Id, "mine"))!.Value;
        var other = await _host.CreateAsync(Roles.Learner);
        using var client = await _host.SignedInClientAsync(other);
        await client.PostFormAsync("/Me/Tokens", [new("id", token.Id.ToString())], "/Me/Tokens?handler=Revoke");
        Assert.NotNull(await ExchangeAsync(secret));
    }

    [Fact]
    public async Task Bad_requests_name_the_field()
    {
        var empty = await Assert.ThrowsAsync<RpcException>(() => ExchangeAsync(""));
        Assert.Equal(StatusCode.InvalidArgument, empty.StatusCode);
        Assert.StartsWith("personal_access_token", empty.Status.Detail);
        var lifetime = await Assert.ThrowsAsync<RpcException>(() => _portal.ExchangeTokenAsync(new ExchangeTokenRequest { PersonalAccessToken = "genie_pat_x", LifetimeSeconds = 86400 }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, lifetime.StatusCode);
        Assert.StartsWith("lifetime_seconds", lifetime.Status.Detail);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => ExchangeAsync("genie_pat_" + new string('a', 43)));
        Assert.Equal(StatusCode.Unauthenticated, unknown.StatusCode);
    }

    private Task<ExchangeTokenResponse> ExchangeAsync(string secret) =>
        _portal.ExchangeTokenAsync(new ExchangeTokenRequest { PersonalAccessToken = secret }).ResponseAsync;
}
