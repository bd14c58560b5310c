using System.Net;
using Genie.ServiceDefaults.Auth;
using Genie.Web.Tests.Infrastructure;

namespace Genie.Web.Tests;

/// <summary>Text people type is rendered as text wherever it appears.</summary>
public sealed class XssTests(XssTests.Fixture fixture) : IClassFixture<XssTests.Fixture>
{
    public const string Payload = "<script>alert('xss')</script><img src=x onerror=alert(1)>";

    public sealed class Fixture : IAsyncLifetime
    {
        public PortalHost Host { get; private set; } = null!;

        public async Task InitializeAsync() => Host = await PortalHost.StartAsync();

        public async Task DisposeAsync() => await Host.DisposeAsync();
    }

    [Fact]
    public async Task A_name_with_markup_renders_as_text_on_every_page_that_shows_it()
    {
        var user = await fixture.Host.CreateAsync(Roles.Learner, name: "Mallory " + Payload);
        using var admin = await fixture.Host.SignedInAdminAsync();
        await AssertRendersAsTextAsync(admin, "/Dashboard/Users");
        await AssertRendersAsTextAsync(admin, $"/Dashboard/Users/Manage/Edit/{user.Id}");

        using var mallory = await fixture.Host.SignedInClientAsync(user);
        await AssertRendersAsTextAsync(mallory, "/");
    }

    [Fact]
    public async Task A_token_name_with_markup_renders_as_text()
    {
        var user = await fixture.Host.CreateAsync(Roles.Learner);
        using var client = await fixture.Host.SignedInClientAsync(user);
        var created = await client.PostFormAsync("/Me/Tokens", new { Name = "t " + Payload[..40] }, "/Me/Tokens?handler=Create");
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        await AssertRendersAsTextAsync(client, "/Me/Tokens", Payload[..40].Trim());
    }

    [Fact]
    public async Task Searching_with_markup_echoes_it_as_text()
    {
        using var admin = await fixture.Host.SignedInAdminAsync();
        var (response, page) = await admin.GetPageAsync("/Dashboard/Users?q=" + Uri.EscapeDataString("\"><script>alert(1)</script>"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(page.QuerySelectorAll("script"), s => s.GetAttribute("src") is null);
        Assert.Equal("\"><script>alert(1)</script>", page.QuerySelector("input#q")!.GetAttribute("value"));
    }

    /// <summary>The page has no script element but our own file, and shows the payload as visible text.</summary>
    internal static async Task AssertRendersAsTextAsync(PortalBrowser client, string path, string payload = Payload)
    {
        var (response, page) = await client.GetPageAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.All(page.QuerySelectorAll("script"), s => Assert.StartsWith("/js/", s.GetAttribute("src") ?? "(inline)"));
        Assert.Empty(page.QuerySelectorAll("img[onerror]"));
        Assert.Contains(payload, page.Body!.TextContent);
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
    }
}
