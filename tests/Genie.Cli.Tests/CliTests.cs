using System.Text.Json;
using Genie.Cli.Config;
using Genie.Web.AccessTokens;

namespace Genie.Cli.Tests;

/// <summary>The genie command end to end: real token exchange at Web, real gRPC to Agent and Retrieval.</summary>
[Collection(GenieSystemCollection.Name)]
public sealed class CliTests(GenieSystem system)
{
    [Fact]
    public async Task Login_exchanges_a_real_access_token_and_stores_it_for_the_owner_only()
    {
        using var cli = new CliRunner();
        await cli.LoginAsync(system.Web.GrpcAddress, system.HandbookLearner);

        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cli.ConfigFile));
        var config = CliConfig.Load(cli.ConfigDirectory);
        Assert.Equal(system.HandbookLearner.Token, config.PersonalAccessToken);
        Assert.Equal(system.Agent.Host.GrpcAddress.ToString().TrimEnd('/'), config.AgentUrl.TrimEnd('/'));
        Assert.Equal(system.Retrieval.Host.GrpcAddress.ToString().TrimEnd('/'), config.RetrievalUrl.TrimEnd('/'));
        Assert.EndsWith("/mcp", config.McpUrl);

        var whoami = await cli.RunAsync("whoami");
        Assert.Equal(0, whoami.ExitCode);
        Assert.Contains(system.HandbookLearner.Email, whoami.Out);
        Assert.Contains("learner", whoami.Out);

        Assert.Equal(0, (await cli.RunAsync("logout")).ExitCode);
        Assert.False(File.Exists(cli.ConfigFile));
        var after = await cli.RunAsync("whoami");
        Assert.Equal(1, after.ExitCode);
        Assert.Equal("genie: not logged in; run 'genie login --url <Genie's gRPC address>' first", Assert.Single(after.ErrorLines));
    }

    [Fact]
    public async Task Ask_streams_the_answer_then_numbered_citations()
    {
        using var cli = await new CliRunner().LoginAsync(system.Web.GrpcAddress, system.HandbookLearner);
        var run = await cli.RunAsync("ask", "Where do I collect my building badge?");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("security desk", run.Out);
        var sources = run.Out.IndexOf("Sources", StringComparison.Ordinal);
        Assert.True(sources > run.Out.IndexOf("security desk", StringComparison.Ordinal), run.Out);
        Assert.Contains("[1] Building badges", run.Out[sources..]);
        Assert.Contains("badges.md", run.Out[sources..]);
        Assert.False(run.Out.Contains('\u001b', StringComparison.Ordinal), "escape codes in output that is not a terminal");
    }

    [Fact]
    public async Task Ask_json_is_one_parsable_object_and_its_message_takes_feedback()
    {
        using var cli = await new CliRunner().LoginAsync(system.Web.GrpcAddress, system.HandbookLearner);
        var run = await cli.RunAsync("ask", "How do I get my building badge?", "--kb", "handbook", "--json");

        Assert.True(run.ExitCode == 0, run.Error);
        var line = Assert.Single(run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var answer = JsonDocument.Parse(line).RootElement;
        Assert.Contains("security desk", answer.GetProperty("answer").GetString());
        var citation = answer.GetProperty("citations")[0];
        Assert.Equal(1, citation.GetProperty("marker").GetInt32());
        Assert.Equal("Building badges", citation.GetProperty("title").GetString());
        var messageId = answer.GetProperty("messageId").GetString()!;
        var conversationId = answer.GetProperty("conversationId").GetString()!;

        var feedback = await cli.RunAsync("feedback", messageId, "up");
        Assert.True(feedback.ExitCode == 0, feedback.Error);
        var list = await cli.RunAsync("conversations", "list");
        Assert.Contains(conversationId, list.Out);
        var show = await cli.RunAsync("conversations", "show", conversationId);
        Assert.Contains("How do I get my building badge?", show.Out);
        Assert.Contains("[1] Building badges", show.Out);
    }

    [Fact]
    public async Task Search_finds_readable_passages_without_html_marks()
    {
        using var cli = await new CliRunner().LoginAsync(system.Web.GrpcAddress, system.HandbookLearner);
        var run = await cli.RunAsync("search", "photo ID security desk", "-k", "3");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("[1] Building badges", run.Out);
        Assert.DoesNotContain("<mark>", run.Out);
        Assert.DoesNotContain("VPN", run.Out);
    }

    [Fact]
    public async Task A_learner_cannot_list_or_search_a_knowledge_base_not_granted()
    {
        using var cli = await new CliRunner().LoginAsync(system.Web.GrpcAddress, system.SecurityLearner);
        var list = await cli.RunAsync("kb", "list");
        Assert.True(list.ExitCode == 0, list.Error);
        Assert.Contains("Security", list.Out);
        Assert.DoesNotContain("Handbook", list.Out);

        var search = await cli.RunAsync("search", "building badge", "--kb", "Handbook");
        Assert.Equal(1, search.ExitCode);
        Assert.Equal("genie: no knowledge base named 'Handbook' that you may read (see 'genie kb list')", Assert.Single(search.ErrorLines));
        var everywhere = await cli.RunAsync("search", "building badge security desk");
        Assert.DoesNotContain("Building badges", everywhere.Out);
    }

    [Fact]
    public async Task Progress_shows_the_learners_courses_and_next_unit()
    {
        using var cli = await new CliRunner().LoginAsync(system.Web.GrpcAddress, system.HandbookLearner);
        var run = await cli.RunAsync("progress");

        Assert.True(run.ExitCode == 0, run.Error);
        var git = Assert.Single(run.Out.Split('\n'), l => l.Contains("Git basics"));
        Assert.Contains("Branches", git);
    }

    [Fact]
    public async Task Kb_sync_reports_progress_from_the_streaming_rpc_then_the_outcome()
    {
        using var cli = await new CliRunner().LoginAsync(system.Web.GrpcAddress, system.Admin);
        var run = await cli.RunAsync("kb", "sync", "Handbook");

        Assert.True(run.ExitCode == 0, run.Error);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.StartsWith("uploads: discovering", StringComparison.Ordinal) || l.StartsWith("uploads: indexing", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("uploads: done", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("uploads: succeeded — ", StringComparison.Ordinal) && l.Contains("1 unchanged"));
    }

    [Fact]
    public async Task An_expired_or_rejected_jwt_is_replaced_from_the_stored_access_token()
    {
        using var cli = await new CliRunner().LoginAsync(system.Web.GrpcAddress, system.HandbookLearner);
        var config = CliConfig.Load(cli.ConfigDirectory);
        var first = config.AccessToken;

        config.AccessTokenExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        config.Save(cli.ConfigDirectory);
        var expired = await cli.RunAsync("kb", "list");
        Assert.True(expired.ExitCode == 0, expired.Error);
        Assert.Contains("Handbook", expired.Out);
        var refreshed = CliConfig.Load(cli.ConfigDirectory);
        Assert.True(refreshed.AccessTokenExpiresAt > DateTimeOffset.UtcNow.AddMinutes(5));

        // A token the services reject although it has not expired by the clock (e.g. a rotated signing key).
        refreshed.AccessToken = first[..^4] + "AAAA";
        refreshed.Save(cli.ConfigDirectory);
        var rejected = await cli.RunAsync("kb", "list");
        Assert.True(rejected.ExitCode == 0, rejected.Error);
        Assert.Contains("Handbook", rejected.Out);
        Assert.NotEqual(refreshed.AccessToken, CliConfig.Load(cli.ConfigDirectory).AccessToken);
    }

    [Fact]
    public async Task A_revoked_access_token_gives_one_clear_line_and_exit_code_1()
    {
        var person = await system.PersonAsync("learner");
        using var cli = await new CliRunner().LoginAsync(system.Web.GrpcAddress, person);
        Assert.True(await system.Web.Get<PersonalAccessTokens>().RevokeAsync(person.Id, person.TokenId));

        var config = CliConfig.Load(cli.ConfigDirectory);
        config.AccessTokenExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        config.Save(cli.ConfigDirectory);
        var run = await cli.RunAsync("ask", "Where is the badge desk?");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Equal(
            "genie: your personal access token was revoked or is unknown, or its owner is deactivated; create a new one in the portal and run 'genie login'",
            Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Bad_input_and_an_unreachable_portal_are_one_line_each()
    {
        using var cli = await new CliRunner().LoginAsync(system.Web.GrpcAddress, system.HandbookLearner);
        var k = await cli.RunAsync("search", "badge", "-k", "0");
        Assert.Equal(1, k.ExitCode);
        Assert.Equal("genie: -k must be between 1 and 50", Assert.Single(k.ErrorLines));

        var unknown = await cli.RunAsync("kb", "frobnicate");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Single(unknown.ErrorLines);

        using var other = new CliRunner().With("GENIE_TOKEN", "genie_pat_x");
        var unreachable = await other.RunAsync("login", "--url", $"http://127.0.0.1:{Genie.Testing.FreePort.Next()}");
        Assert.Equal(1, unreachable.ExitCode);
        Assert.StartsWith("genie: cannot reach Genie", Assert.Single(unreachable.ErrorLines));

        var help = await cli.RunAsync("kb", "sync", "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("Sync every source of a knowledge base", help.Out);
    }
}
