using System.Net;
using Genie.Web.Tests.Infrastructure;

namespace Genie.Web.Tests;

/// <summary>The analytics and feedback pages before anyone has chatted, and while the Agent is not reachable.</summary>
public sealed class AnalyticsEmptyStateTests : IAsyncLifetime
{
    private ChatSystem _hosts = null!;

    public async Task InitializeAsync() => _hosts = await ChatSystem.StartAsync();

    public async Task DisposeAsync() => await _hosts.DisposeAsync();

    [Fact]
    public async Task No_chats_yet_shows_zeros_and_empty_states_instead_of_charts()
    {
        using var admin = await _hosts.Portal.SignedInAdminAsync();

        var (response, page) = await admin.GetPageAsync("/Admin/Analytics?days=90");
        var (_, feedback) = await admin.GetPageAsync("/Admin/Feedback");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("0", page.QuerySelector("[data-figure=questions] .stat-value")!.TextContent);
        Assert.Equal("—", page.QuerySelector("[data-figure=helpful] .stat-value")!.TextContent);
        Assert.Contains("No questions in the last 90 days", page.QuerySelector("[data-test=no-usage]")!.TextContent);
        Assert.NotNull(page.QuerySelector("[data-test=no-feedback]"));
        Assert.NotNull(page.QuerySelector("[data-test=no-gaps]"));
        Assert.Empty(page.QuerySelectorAll("figure.chart, svg.chart-svg"));
        Assert.NotNull(feedback.QuerySelector("[data-test=no-feedback]"));
        Assert.Null(feedback.QuerySelector("[data-test=feedback-list]"));
        Assert.Null(feedback.QuerySelector(".pager"));
    }

    [Fact]
    public async Task An_unreachable_agent_is_reported_on_the_page()
    {
        using var admin = await _hosts.Portal.SignedInAdminAsync();
        await _hosts.Agent.StopAsync();
        try
        {
            foreach (var path in new[] { "/Admin/Analytics", "/Admin/Feedback" })
            {
                var (response, page) = await admin.GetPageAsync(path);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Contains("Agent is not available right now", page.QuerySelector("[data-test=load-error]")!.TextContent);
            }
        }
        finally
        {
            await _hosts.Agent.StartAgainAsync();
        }
        var (_, back) = await admin.GetPageAsync("/Admin/Analytics");
        Assert.Null(back.QuerySelector("[data-test=load-error]"));
    }
}
