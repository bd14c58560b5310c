using Microsoft.Extensions.DependencyInjection;

namespace Genie.AppHost.Tests.EndToEnd;

/// <summary>The portal keeps one address across runs, so bookmarks and invitation links keep working.</summary>
public sealed class PortalAddressTests
{
    [Fact]
    public async Task By_default_the_portal_is_on_port_5080_external_and_labelled_portal_in_the_dashboard()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Genie_AppHost>();
        await using var app = await builder.BuildAsync();
        var web = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ProjectResource>().Single(r => r.Name == "web");

        var http = web.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http");
        Assert.Equal(5080, http.Port);
        Assert.True(http.IsExternal);
        Assert.Contains(web.Annotations.OfType<ResourceUrlsCallbackAnnotation>(), _ => true);
    }
}
