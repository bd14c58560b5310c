using System.Net;
using Genie.Testing;
using Genie.Web.Tests.Infrastructure;

namespace Genie.Web.Tests;

/// <summary>The admin's system page asks each service over real gRPC.</summary>
public sealed class SystemHealthTests : IAsyncLifetime
{
    private ServiceTestHost _agent = null!;
    private PortalHost _portal = null!;

    public async Task InitializeAsync()
    {
        // A real service process shell (service defaults: gRPC server with the standard health service).
        _agent = await ServiceTestHost.StartAsync("agent");
        _portal = await PortalHost.StartAsync(new Dictionary<string, string?>
        {
            ["services:agent:grpc:0"] = _agent.GrpcAddress.ToString(),
            ["services:lmsbridge:grpc:0"] = $"http://127.0.0.1:{FreePort.Next()}", // nothing listens there
            ["Genie:Auth:SigningKey"] = _agent.SigningKey,
        });
    }

    public async Task DisposeAsync()
    {
        await _portal.DisposeAsync();
        await _agent.DisposeAsync();
    }

    [Fact]
    public async Task Each_service_shows_its_state()
    {
        using var admin = await _portal.SignedInAdminAsync();
        var (response, page) = await admin.GetPageAsync("/Admin/System");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("serving", page.QuerySelector("[data-service=web]")!.GetAttribute("data-state"));
        Assert.NotEmpty(page.QuerySelector("[data-service=web] [data-test=version]")!.TextContent);
        Assert.Equal("serving", page.QuerySelector("[data-service=agent]")!.GetAttribute("data-state"));
        Assert.Contains(_agent.GrpcAddress.ToString(), page.QuerySelector("[data-service=agent]")!.TextContent);
        Assert.Equal("unreachable", page.QuerySelector("[data-service=lmsbridge]")!.GetAttribute("data-state"));
        Assert.Equal("not configured", page.QuerySelector("[data-service=retrieval]")!.GetAttribute("data-state"));
    }
}
