using System.Net;
using System.Text;
using AngleSharp.Html.Parser;
using Genie.Contracts.Agent.V1;
using Genie.Contracts.Portal.V1;
using Genie.Reliability.Tests.Portal;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Genie.Testing;
using Genie.Testing.FakeSlack;
using Genie.Testing.Hosts;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Genie.Reliability.Tests.Secrets;

/// <summary>
/// One realistic session across every service with every kind of secret in use — the TalentLMS API key, Slack's bot
/// and app tokens and signing secret, an MCP source's secret environment variable, the token signing key, a personal
/// access token and the short-lived token it buys, two passwords — while every host's logs (an ILoggerProvider and
/// OTLP), traces and metrics (OTLP) and the HTML of every portal page are captured. No secret (nor its base64 or URL
/// encoding) appears in any of it.
/// </summary>
public sealed class SecretsSweepTests(ITestOutputHelper output)
{
    private static readonly HtmlParser Parser = new();

    [Fact]
    public async Task No_secret_reaches_logs_traces_metrics_or_pages()
    {
        await using var otlp = await OtlpReceiver.StartAsync();
        var telemetry = new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp.Address,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Genie"] = "Debug",
        };
        var system = await SlackSystem.StartAsync(everyHost: telemetry);
        var logs = new CapturedLogs();
        var pages = new List<(string Where, string Html)>();
        var secrets = new Dictionary<string, string>
        {
            ["TalentLMS API key"] = system.LmsBridge.TalentLms.ApiKey,
            ["Slack bot token"] = FakeSlackServer.BotToken,
            ["Slack app token"] = FakeSlackServer.AppToken,
            ["Slack signing secret"] = FakeSlackServer.SigningSecret,
            ["MCP source secret"] = "mcp-env-secret-" + Guid.NewGuid().ToString("N"),
            ["signing key"] = system.Retrieval.ClientSettings[AuthOptions.SigningKeyKey]!,
            ["admin password"] = WebTestHost.AdminPassword,
            ["learner password"] = PortalPeople.Password,
        };
        var folder = Directory.CreateTempSubdirectory("genie-secrets-").FullName;
        try
        {
            foreach (var services in new[] { system.Retrieval.Host.Services, system.Agent.Host.Services, system.LmsBridge.Host.Services, system.Web.App.Services, system.Slack.Services })
                services.GetRequiredService<ILoggerFactory>().AddProvider(logs);

            async Task<PortalSession.Page> GetAsync(PortalSession session, string url)
            {
                var page = await session.GetAsync(url);
                if (page.IsHtml)
                    pages.Add(($"page {url} as {session.Email}", page.Body));
                return page;
            }
            async Task<PortalSession.Page> SubmitAsync(PortalSession session, string url, string handler, params (string Name, string Value)[] values)
            {
                var form = PortalCrawler.FormsOf(url, (await GetAsync(session, url)).Body).First(f => f.Action.Contains(handler, StringComparison.Ordinal));
                return await session.PostEncodedAsync(form.Action, PortalForm.Encode(form.Defaults(values)));
            }

            // The admin connects TalentLMS and syncs it, then builds a knowledge base over an MCP server with a secret.
            using var admin = await PortalPeople.AdminAsync(system.Web);
            var lms = system.LmsBridge.TalentLms;
            lms.Data.Enroll(lms.Data.AddUser("lea@genie.test", "Lea", "Learner"), lms.Data.AddCourse("Security basics", "SEC-1"));
            var saved = await SubmitAsync(admin, "/Admin/Lms", "handler=Save", ("Form.Domain", lms.Domain), ("Form.ApiKey", lms.ApiKey));
            Assert.True(saved.Status == HttpStatusCode.Redirect, Problems(saved));
            await SubmitAsync(admin, "/Admin/Lms", "handler=Test", ("Form.Domain", lms.Domain), ("Form.ApiKey", lms.ApiKey));
            await SubmitAsync(admin, "/Admin/Lms", "handler=Sync");
            await PortalFormAbuseTests.AssignEveryBotAsync(admin);

            var created = await SubmitAsync(admin, "/Dashboard/Knowledge", "handler=Create", ("Name", "Handbook"), ("Description", "Everything about the office"));
            var kbPage = created.Location!.ToString();
            File.WriteAllText(Path.Combine(folder, "badges.md"), SlackSystem.HandbookMarkdown);
            var added = await SubmitAsync(admin, kbPage, "handler=AddMcp",
                ("Mcp.Name", "Handbook server"), ("Mcp.Transport", "command"), ("Mcp.Command", "node"),
                ("Mcp.Args", $"{Path.Combine(RepoPaths.NodeModules, "@modelcontextprotocol/server-filesystem/dist/index.js")}\n{folder}"),
                ("Mcp.Secrets", $"FS_API_TOKEN={secrets["MCP source secret"]}"), ("Mcp.ListTool", "search_files"),
                ("Mcp.ListArgumentsJson", $$"""{"path": "{{folder}}", "pattern": "**/*.md"}"""), ("Mcp.ReadTool", "read_text_file"), ("Mcp.ReadArgument", "path"));
            Assert.True(added.Status == HttpStatusCode.Redirect, Problems(added));
            await SubmitAsync(admin, kbPage, "handler=Grants", ("roles", Roles.Learner));
            await SubmitAsync(admin, kbPage, "handler=Sync");

            // A learner signs in, asks in the portal, and makes a token for a tool, which trades it for a short-lived one.
            var (_, learner) = await PortalPeople.NewAsync(system.Web, Roles.Learner);
            using (learner)
            {
                var asked = await SubmitAsync(learner, "/Chat?bot=onboarding", "handler=Ask", ("message", "Who issues the building badge?"));
                Assert.True(asked.Status == HttpStatusCode.Redirect, Problems(asked));
                await GetAsync(learner, asked.Location!.ToString());
                Assert.Contains("security desk", pages[^1].Html);
                // the page that creates a token shows it once, by design: it is the one page not swept
                var tokenPage = await SubmitAsync(learner, "/Me/Tokens", "handler=Create", ("Name", "cli"));
                var pat = Parser.ParseDocument(tokenPage.Body).QuerySelector("#new-secret")!.TextContent.Trim();
                Assert.StartsWith("genie_pat_", pat);
                secrets["personal access token"] = pat;
                using var channel = GrpcChannel.ForAddress(system.PortalGrpcAddress);
                var exchanged = await new PortalService.PortalServiceClient(channel).ExchangeTokenAsync(new ExchangeTokenRequest { PersonalAccessToken = pat });
                secrets["short-lived token"] = exchanged.AccessToken;
                var conversations = await system.Agent.Client.ListConversationsAsync(new ListConversationsRequest(), BearerToken.Options(exchanged.AccessToken));
                Assert.NotEmpty(conversations.Conversations);
                await GetAsync(learner, "/Preferences");
                foreach (var (url, _) in (await PortalCrawler.CrawlAsync(learner, perShape: 3)).Pages)
                    await GetAsync(learner, url);
            }

            // Someone asks in Slack.
            var (genieId, slackId) = await system.AddPersonAsync();
            await system.AddHandbookAsync(genieId);
            var ev = await system.SendEventAsync(system.FakeSlack.DirectMessage(slackId, "How do I get my building badge?"));
            Assert.Contains("security desk", (await system.FinalAnswerAsync("D" + slackId, (string)ev["ts"]!)).Rendered);

            foreach (var (url, _) in (await PortalCrawler.CrawlAsync(admin, perShape: 3)).Pages)
                await GetAsync(admin, url);
        }
        finally
        {
            await system.DisposeAsync(); // flushes every host's OTLP exporters
            Directory.Delete(folder, recursive: true);
        }

        var exports = otlp.Exports;
        output.WriteLine($"{secrets.Count} secrets; {logs.Lines.Count} log lines; {pages.Count} pages; OTLP: " +
                         string.Join(", ", exports.GroupBy(e => e.Signal).Select(g => $"{g.Key} {g.Count()} exports, {g.Sum(e => e.Body.Length) / 1024} KiB")));
        // the capture is real: it holds what the session did
        Assert.Contains(exports, e => e.Signal == "traces" && Contains(e.Body, "/genie.agent.v1.AgentService/Chat"));
        Assert.Contains(exports, e => e.Signal == "logs");
        Assert.Contains(exports, e => e.Signal == "metrics");
        Assert.Contains(logs.Lines, l => l.Contains("Genie", StringComparison.Ordinal));

        var leaks = new List<string>();
        foreach (var (name, secret) in secrets)
            foreach (var form in Forms(secret))
            {
                leaks.AddRange(logs.Lines.Where(l => l.Contains(form, StringComparison.Ordinal)).Take(3).Select(l => $"{name} in a log line: {Excerpt(l, form)}"));
                leaks.AddRange(pages.Where(p => p.Html.Contains(form, StringComparison.Ordinal)).Take(3).Select(p => $"{name} in {p.Where}: {Excerpt(p.Html, form)}"));
                leaks.AddRange(exports.Where(e => Contains(e.Body, form)).Take(3).Select(e => $"{name} in OTLP {e.Signal}: {Excerpt(Encoding.UTF8.GetString(e.Body), form)}"));
            }
        Assert.True(leaks.Count == 0, string.Join("\n", leaks.Distinct()));
    }

    private static string Problems(PortalSession.Page page) =>
        $"{(int)page.Status}: " + string.Join(" | ", Parser.ParseDocument(page.Body).QuerySelectorAll(".field-error, .alert, .validation-summary-errors").Select(e => e.TextContent.Trim()).Where(t => t.Length > 0));

    /// <summary>The secret as it might be written: plainly, in base64, URL-encoded.</summary>
    private static IEnumerable<string> Forms(string secret) =>
        new[] { secret, Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)), Uri.EscapeDataString(secret), Uri.EscapeDataString(secret).Replace("%20", "+") }.Distinct();

    private static bool Contains(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;

    private static string Excerpt(string text, string found)
    {
        var at = Math.Max(0, text.IndexOf(found, StringComparison.Ordinal) - 120);
        return text.Substring(at, Math.Min(text.Length - at, 240 + found.Length)).ReplaceLineEndings(" ");
    }
}
