using System.Net;
using System.Text.RegularExpressions;

namespace Genie.Cli.Tests;

/// <summary>Genie's MCP server (Web's /mcp) through the official TypeScript SDK client, over Streamable HTTP and via genie mcp.</summary>
[Collection(GenieSystemCollection.Name)]
public sealed partial class McpTests(GenieSystem system)
{
    private Uri Mcp => new(system.Web.HttpAddress, "/mcp");

    [Fact]
    public async Task The_sdk_lists_the_tools_with_descriptions_and_schemas_for_an_assistant()
    {
        var session = await NodeMcpClient.OverHttpAsync(Mcp, system.HandbookLearner.Token);

        Assert.Null(session.ConnectError);
        Assert.Equal(["ask_genie", "get_document", "my_learning_progress", "search_docs"], session.Tools.Select(t => t.Name).Order());
        Assert.All(session.Tools, t => Assert.True(t.Description.Length > 80, t.Name));
        var search = session.Tools.Single(t => t.Name == "search_docs").InputSchema;
        Assert.Contains("query", search.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.True(search.GetProperty("properties").GetProperty("query").GetProperty("description").GetString()!.Length > 10);
    }

    [Fact]
    public async Task Search_and_ask_return_cited_results_and_get_document_reads_the_page()
    {
        var session = await NodeMcpClient.OverHttpAsync(Mcp, system.HandbookLearner.Token,
            ("search_docs", new { query = "where to collect the building badge" }),
            ("ask_genie", new { question = "Where do I collect my building badge?" }));

        Assert.Null(session.ConnectError);
        var search = session.Results[0];
        Assert.False(search.IsError, search.Text);
        Assert.StartsWith("[1] Building badges", search.Text);
        Assert.Contains("security desk", search.Text);
        var ask = session.Results[1];
        Assert.False(ask.IsError, ask.Text);
        Assert.Contains("security desk", ask.Text);
        Assert.Contains("Sources:\n[1] Building badges", ask.Text);

        var documentId = DocumentId().Match(search.Text).Groups[1].Value;
        var read = await NodeMcpClient.OverHttpAsync(Mcp, system.HandbookLearner.Token, ("get_document", new { documentId }));
        Assert.False(read.Results[0].IsError, read.Results[0].Text);
        Assert.StartsWith("# Building badges", read.Results[0].Text);
        Assert.Contains("## Building badges > Getting your badge", read.Results[0].Text);

        var other = await NodeMcpClient.OverHttpAsync(Mcp, system.SecurityLearner.Token, ("get_document", new { documentId }));
        Assert.True(other.Results[0].IsError, other.Results[0].Text);
    }

    [Fact]
    public async Task Search_takes_a_knowledge_base_by_name_in_any_case_and_refuses_one_the_user_may_not_read()
    {
        var security = await NodeMcpClient.OverHttpAsync(Mcp, system.SecurityLearner.Token,
            ("search_docs", new { query = "VPN certificate renew", knowledgeBase = "security" }),
            ("search_docs", new { query = "building badge", knowledgeBase = " Handbook " }));

        Assert.Null(security.ConnectError);
        Assert.False(security.Results[0].IsError, security.Results[0].Text);
        Assert.Contains("VPN access", security.Results[0].Text);
        Assert.True(security.Results[1].IsError, security.Results[1].Text);
        Assert.Contains("knowledgeBase: you have no knowledge base named 'Handbook'; readable ones: ", security.Results[1].Text);
        Assert.Contains("Security", security.Results[1].Text.Split("readable ones: ")[1]);
    }

    [Fact]
    public async Task Two_users_with_different_grants_see_different_results()
    {
        (string, object) badge = ("search_docs", new { query = "building badge security desk" });
        (string, object) vpn = ("search_docs", new { query = "VPN certificate renew" });
        var handbook = await NodeMcpClient.OverHttpAsync(Mcp, system.HandbookLearner.Token, badge, vpn);
        var security = await NodeMcpClient.OverHttpAsync(Mcp, system.SecurityLearner.Token, badge, vpn);

        Assert.Contains("Building badges", handbook.Results[0].Text);
        Assert.DoesNotContain("VPN access", handbook.Results[1].Text);
        Assert.DoesNotContain("Building badges", security.Results[0].Text);
        Assert.Contains("VPN access", security.Results[1].Text);
    }

    [Fact]
    public async Task Learning_progress_is_the_learners_own_and_for_learners_only()
    {
        var learner = await NodeMcpClient.OverHttpAsync(Mcp, system.HandbookLearner.Token, ("my_learning_progress", new { }));
        var admin = await NodeMcpClient.OverHttpAsync(Mcp, system.Admin.Token, ("my_learning_progress", new { }));

        Assert.False(learner.Results[0].IsError, learner.Results[0].Text);
        Assert.Contains("- Git basics: ", learner.Results[0].Text);
        Assert.Contains("Next: Branches", learner.Results[0].Text);
        Assert.True(admin.Results[0].IsError);
        Assert.Contains("for learners", admin.Results[0].Text);
    }

    [Fact]
    public async Task A_missing_or_wrong_token_is_refused_with_a_plain_401()
    {
        var missing = await NodeMcpClient.OverHttpAsync(Mcp, null);
        Assert.NotNull(missing.ConnectError);
        var wrong = await NodeMcpClient.OverHttpAsync(Mcp, "genie_pat_" + new string('x', 43));
        Assert.NotNull(wrong.ConnectError);

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Mcp) { Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", "genie_pat_wrong");
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("The personal access token is unknown or revoked", await response.Content.ReadAsStringAsync());
        var anonymous = await http.PostAsync(Mcp, new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("needs a personal access token", await anonymous.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Genie_mcp_serves_the_same_tools_over_stdio_with_the_stored_token()
    {
        using var cli = await new CliRunner().LoginAsync(system.Web.GrpcAddress, system.SecurityLearner);
        var session = await NodeMcpClient.OverStdioAsync(cli.ConfigDirectory, ("search_docs", new { query = "VPN certificate renew" }));

        Assert.Null(session.ConnectError);
        Assert.Equal(["ask_genie", "get_document", "my_learning_progress", "search_docs"], session.Tools.Select(t => t.Name).Order());
        Assert.False(session.Results[0].IsError, session.Results[0].Text);
        Assert.StartsWith("[1] VPN access", session.Results[0].Text);
    }

    [GeneratedRegex(@"Document id: (\S+)")]
    private static partial Regex DocumentId();
}
