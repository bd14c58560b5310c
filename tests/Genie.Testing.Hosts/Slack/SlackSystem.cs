using System.Text.Json.Nodes;
using Genie.Contracts.Retrieval.V1;
using Genie.ServiceDefaults.Auth;
using Genie.Slack;
using Genie.Slack.Answering;
using Genie.Testing;
using Genie.Testing.FakeSlack;
using Genie.Web;
using Genie.Web.Audit;
using Genie.Web.Bots;
using Genie.Web.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Genie.Testing.Hosts;

/// <summary>
/// Retrieval, Agent, the portal (Web) and the Slack adapter on loopback with one signing key, as the AppHost runs
/// them, and the fake Slack the adapter talks to over both Socket Mode and the HTTP Events API.
/// </summary>
public sealed class SlackSystem : IAsyncLifetime
{
    public const string HandbookMarkdown = """
        # Building badges

        ## Getting your badge

        Your building badge is issued by the security desk within two business days of your start date.
        Bring a photo ID to the security desk on the ground floor to collect the badge.
        """;

    public const string SecretMarkdown = """
        # Merger plans

        ## Project Nightjar

        The acquisition of the falcon company closes in March; the codename is Nightjar and the price is confidential.
        """;

    private IDictionary<string, string?>? _slackSettings;
    private IDictionary<string, string?>? _everyHost;
    private SlackTestHost _slack = null!;

    /// <summary>
    /// A started system whose Slack adapter has these settings on top of the test ones (e.g. the production update
    /// interval); <paramref name="everyHost"/> goes to every service (e.g. where to export telemetry).
    /// </summary>
    public static async Task<SlackSystem> StartAsync(IDictionary<string, string?>? slackSettings = null, IDictionary<string, string?>? everyHost = null)
    {
        var system = new SlackSystem { _slackSettings = slackSettings, _everyHost = everyHost };
        await system.InitializeAsync();
        return system;
    }

    public RetrievalTestHost Retrieval { get; private set; } = null!;
    public AgentTestHost Agent { get; private set; } = null!;
    public LmsBridgeTestHost LmsBridge { get; private set; } = null!;
    public WebApplication Portal { get; private set; } = null!;
    public WebTestHost Web { get; private set; } = null!;
    public ServiceTestHost Slack => _slack.Host;
    public FakeSlackServer FakeSlack { get; private set; } = null!;
    public CapturedLogs Logs { get; } = new();
    public string PortalUrl { get; private set; } = "";
    public string PortalGrpcAddress { get; private set; } = "";

    /// <summary>What a Slack adapter needs to reach this system's Web, Agent and LmsBridge (and the signing key).</summary>
    public IReadOnlyDictionary<string, string?> BackendSettings { get; private set; } = new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        FakeSlack = await FakeSlackServer.StartAsync();
        Retrieval = await RetrievalTestHost.StartAsync(_everyHost);
        var key = Retrieval.ClientSettings[AuthOptions.SigningKeyKey];
        LmsBridge = await LmsBridgeTestHost.StartAsync(settings: TestSettings.Merge(_everyHost, new Dictionary<string, string?> { [AuthOptions.SigningKeyKey] = key }));
        Agent = await AgentTestHost.StartAsync(settings: TestSettings.Merge(_everyHost, Retrieval.ClientSettings, LmsBridge.ClientSettings));
        var web = Web = await WebTestHost.StartAsync(TestSettings.Merge(_everyHost, Retrieval.ClientSettings, Agent.ClientSettings, LmsBridge.ClientSettings));
        Portal = web.App;
        var portalGrpc = PortalGrpcAddress = web.GrpcAddress.GetLeftPart(UriPartial.Authority);
        PortalUrl = web.HttpAddress.GetLeftPart(UriPartial.Authority);

        BackendSettings = new Dictionary<string, string?>
        {
            ["services:web:grpc:0"] = portalGrpc,
            ["services:agent:grpc:0"] = Agent.GrpcAddress.ToString(),
            ["services:lmsbridge:grpc:0"] = LmsBridge.Host.GrpcAddress.ToString(),
            [AuthOptions.SigningKeyKey] = key,
        };
        _slack = await SlackTestHost.StartAsync(TestSettings.Merge(_everyHost, BackendSettings, new Dictionary<string, string?>
        {
            ["Genie:Slack:ReminderInterval"] = "01:00:00", // tests deliver by calling ReminderDelivery themselves
            ["Genie:Slack:BotToken"] = FakeSlackServer.BotToken,
            ["Genie:Slack:AppToken"] = FakeSlackServer.AppToken,
            ["Genie:Slack:SigningSecret"] = FakeSlackServer.SigningSecret,
            ["Genie:Slack:ApiBaseUrl"] = FakeSlack.ApiBaseUrl,
            ["Genie:Slack:PortalUrl"] = PortalUrl,
            ["Genie:Slack:UpdateInterval"] = "00:00:00.050",
            ["Genie:Slack:ReconnectDelay"] = "00:00:00.100",
            ["Logging:LogLevel:Default"] = "Debug",
        }, _slackSettings), Logs);
        await FakeSlack.WaitForConnectionsAsync(1);
    }

    /// <summary>
    /// A Genie user (created as the portal does) who is also Slack user <c>U…</c> with the same e-mail, assigned
    /// <paramref name="bots"/> (both bots unless named) as an admin would on the portal's user page.
    /// </summary>
    public async Task<(Guid GenieId, string SlackId)> AddPersonAsync(string role = Roles.Learner, string? email = null, IReadOnlyCollection<string>? bots = null)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        email ??= $"person-{suffix.ToLowerInvariant()}@genie.test";
        var created = await Portal.Services.GetRequiredService<UserAdministration>()
            .CreateAsync(AuditActor.System, "Test", email, "Test " + suffix, role, PortalUrl)
            ?? throw new InvalidOperationException($"{email} exists");
        await Portal.Services.GetRequiredService<BotAssignments>().SetForUserAsync(created.UserId, bots ?? [Bot.OnboardingId, Bot.LearningId]);
        var slackId = "U" + suffix;
        FakeSlack.AddUser(slackId, email);
        return (created.UserId, slackId);
    }

    /// <summary>
    /// A Genie learner who is also in Slack and in TalentLMS, enrolled in a new course of <paramref name="units"/>
    /// (the first <paramref name="completed"/> done yesterday); LmsBridge is synced afterwards.
    /// </summary>
    public async Task<(string SlackId, string Email, string Course, IReadOnlyList<string> Units)> AddLearnerAsync(
        string[] units, int completed = 0, DateTimeOffset? enrolledOn = null)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var email = $"learner-{suffix}@genie.test";
        var (_, slackId) = await AddPersonAsync(email: email);
        var lms = LmsBridge.TalentLms.Data;
        var learner = lms.AddUser(email, "Lea", "Learner");
        var course = lms.AddCourse("Course " + suffix, "C-" + suffix);
        var added = units.Select(u => lms.AddUnit(course, $"{u} {suffix}")).ToList();
        lms.Enroll(learner, course, enrolledOn: enrolledOn);
        foreach (var unit in added.Take(completed))
            lms.CompleteUnit(learner, unit, DateTimeOffset.UtcNow.AddDays(-1));
        var sync = await LmsBridge.SyncAsync();
        if (sync.State != Genie.LmsBridge.Sync.SyncStates.Succeeded)
            throw new InvalidOperationException($"The sync ended {sync.State}: {sync.Error}");
        return (slackId, email, course.Name, added.Select(u => u.Name).ToList());
    }

    /// <summary>
    /// Lets the portal reach the Slack adapter (<c>services:slack:grpc:0</c>), so new users are welcomed in Slack too.
    /// Off by default: other tests count the DMs their people receive.
    /// </summary>
    public void LinkPortalToSlack() => Portal.Configuration["services:slack:grpc:0"] = Slack.GrpcAddress.ToString();

    public Task AddHandbookAsync(params Guid[] readers) =>
        Retrieval.CreateKbWithDocumentsAsync("Handbook " + Guid.NewGuid().ToString("N")[..6], new Grants { UserIds = { readers.Select(r => r.ToString()) } }, [("badges.md", HandbookMarkdown)]);

    public Task AddSecretsAsync(params Guid[] readers) =>
        Retrieval.CreateKbWithDocumentsAsync("Board " + Guid.NewGuid().ToString("N")[..6], new Grants { UserIds = { readers.Select(r => r.ToString()) } }, [("merger.md", SecretMarkdown)]);

    /// <summary>Sends a <c>message.im</c>/<c>app_mention</c> event over Socket Mode (acked) and returns its event.</summary>
    public async Task<JsonObject> SendEventAsync(JsonObject eventCallback)
    {
        await FakeSlack.SendEnvelopeAsync("events_api", eventCallback);
        return eventCallback["event"]!.AsObject();
    }

    /// <summary>Waits for the bot's finished answer (the message with feedback buttons) in a thread.</summary>
    public async Task<FakeSlackMessage> FinalAnswerAsync(string channel, string threadTs, int index = 0, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            var done = FakeSlack.Replies(channel, threadTs).Where(IsFinal).ToList();
            if (done.Count > index)
                return done[index];
            if (DateTimeOffset.UtcNow > deadline)
                throw new TimeoutException($"No final answer #{index} in {channel}/{threadTs}; messages: {string.Join(" | ", FakeSlack.Replies(channel, threadTs).Select(m => m.Rendered))}");
            await Task.Delay(25);
        }
    }

    public static bool IsFinal(FakeSlackMessage m) =>
        m.Blocks?.OfType<JsonObject>().Any(b => (string?)b["type"] == "actions") == true || m.Text == AnswerBlocks.FailedText;

    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
                throw new TimeoutException("Timed out waiting for " + what);
            await Task.Delay(25);
        }
    }

    public async Task DisposeAsync()
    {
        await _slack.DisposeAsync();
        await Web.DisposeAsync();
        await Agent.DisposeAsync();
        await LmsBridge.DisposeAsync();
        await Retrieval.DisposeAsync();
        await FakeSlack.DisposeAsync();
    }
}
