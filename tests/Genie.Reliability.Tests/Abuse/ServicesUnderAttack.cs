using System.Text.RegularExpressions;
using Genie.ServiceDefaults.Auth;
using Genie.Testing;
using Genie.Testing.Hosts;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace Genie.Reliability.Tests.Abuse;

/// <summary>
/// Retrieval, Agent (over that Retrieval), LmsBridge (over a fake TalentLMS), the portal and the Slack adapter (idle), each over its own fresh
/// database and all trusting one signing key, plus every rpc of every proto found from the generated descriptors.
/// </summary>
public sealed class ServicesUnderAttack : IAsyncLifetime
{
    public sealed record Target(string Name, Uri Address, string ConnectionString);

    public sealed record Rpc(ServiceDescriptor Service, MethodDescriptor Method)
    {
        public string Path => $"/{Service.FullName}/{Method.Name}";

        public override string ToString() => Path;
    }

    private readonly List<IAsyncDisposable> _hosts = [];

    public byte[] SigningKey { get; } = Convert.FromBase64String(AuthOptions.GenerateKey());

    public Dictionary<string, Target> ByService { get; } = [];

    public RawGrpc Grpc { get; } = new();

    public AgentTestHost Agent { get; private set; } = null!;

    public RetrievalTestHost Retrieval { get; private set; } = null!;

    public LmsBridgeTestHost LmsBridge { get; private set; } = null!;

    /// <summary>The portal; its admin signs in with WebTestHost.AdminEmail and AdminPassword.</summary>
    public WebTestHost Web { get; private set; } = null!;

    /// <summary>Every service of every generated descriptor (Genie.Contracts and grpc.health.v1), health included.</summary>
    public static IReadOnlyList<ServiceDescriptor> Services { get; } =
        new[] { typeof(Genie.Contracts.Agent.V1.AgentService).Assembly, typeof(global::Grpc.Health.V1.Health).Assembly }
            .SelectMany(assembly => assembly.GetTypes())
            .Where(type => type.IsAbstract && type.IsSealed) // the static classes protoc generates per service
            .Select(type => type.GetProperty("Descriptor")?.GetValue(null) as ServiceDescriptor)
            .OfType<ServiceDescriptor>()
            .DistinctBy(service => service.FullName)
            .OrderBy(service => service.FullName)
            .ToList();

    public static IReadOnlyList<Rpc> Rpcs { get; } = [.. Services.SelectMany(service => service.Methods.Select(method => new Rpc(service, method)))];

    /// <summary>
    /// The rpcs callable without a token: health (probes and load balancers call it) and ExchangeToken, whose request
    /// carries the personal access token it trades for a short-lived JWT (PortalHandler's [AllowAnonymousCall]).
    /// </summary>
    public static readonly IReadOnlySet<string> Anonymous = new HashSet<string>
    {
        "/grpc.health.v1.Health/Check",
        "/grpc.health.v1.Health/Watch",
        "/grpc.health.v1.Health/List",
        "/genie.portal.v1.PortalService/ExchangeToken",
    };

    /// <summary>package.Service of every <c>service</c> declared in protos/ (read as text, independent of the build).</summary>
    public static IReadOnlySet<string> DeclaredInProtos()
    {
        var declared = new HashSet<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "protos"), "*.proto", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            var package = Regex.Match(text, @"^package\s+([\w.]+);", RegexOptions.Multiline).Groups[1].Value;
            foreach (Match service in Regex.Matches(text, @"^service\s+(\w+)", RegexOptions.Multiline))
                declared.Add($"{package}.{service.Groups[1].Value}");
        }
        return declared;
    }

    public Target For(Rpc rpc) => rpc.Service.FullName.StartsWith("grpc.health", StringComparison.Ordinal)
        ? ByService.Values.First()
        : ByService[rpc.Service.FullName];

    public string Token(string role, string userId = "abuse-1") => Tokens.Make(SigningKey, role, userId);

    public async Task<StatusCode> HealthAsync(Target target) =>
        (await Grpc.CallAsync(target.Address, "/grpc.health.v1.Health/Check", RawGrpc.Frame([]), null)).Status;

    public async Task InitializeAsync()
    {
        // Hostile requests go out several at a time with one token; back-pressure (tested in ChatLimitsTests) would
        // refuse some of them before their input is looked at, so the per-person limit is lifted here.
        var key = new Dictionary<string, string?>
        {
            [AuthOptions.SigningKeyKey] = Convert.ToBase64String(SigningKey),
            ["Genie:Limits:PerUser"] = "1000",
            ["Genie:Limits:PerService"] = "1000",
        };
        var retrieval = await RetrievalTestHost.StartAsync(key);
        _hosts.Add(retrieval);
        Retrieval = retrieval;
        var agent = await AgentTestHost.StartAsync(null, TestSettings.Merge(retrieval.ClientSettings, key));
        _hosts.Add(agent);
        Agent = agent;
        var lms = await LmsBridgeTestHost.StartAsync(settings: key);
        _hosts.Add(lms);
        LmsBridge = lms;
        var web = await WebTestHost.StartAsync(TestSettings.Merge(retrieval.ClientSettings, agent.ClientSettings, lms.ClientSettings, key));
        _hosts.Add(web);
        Web = web;
        // Idle (no Slack tokens), its Web API pointed at a closed port: nothing hostile can reach slack.com.
        var slack = await SlackTestHost.StartAsync(TestSettings.Merge(key, new Dictionary<string, string?>
        {
            ["services:web:grpc:0"] = web.GrpcAddress.ToString(),
            ["services:agent:grpc:0"] = agent.GrpcAddress.ToString(),
            ["services:lmsbridge:grpc:0"] = lms.Host.GrpcAddress.ToString(),
            ["Genie:Slack:ApiBaseUrl"] = "http://127.0.0.1:9/api/",
        }));
        _hosts.Add(slack);
        ByService["genie.retrieval.v1.RetrievalService"] = new("Retrieval", retrieval.Host.GrpcAddress, retrieval.ConnectionString);
        ByService["genie.agent.v1.AgentService"] = new("Agent", agent.GrpcAddress, agent.ConnectionString);
        ByService["genie.lms.v1.LmsService"] = new("LmsBridge", lms.Host.GrpcAddress, lms.ConnectionString);
        ByService["genie.portal.v1.PortalService"] = new("Web", web.GrpcAddress, web.ConnectionString);
        ByService["genie.slack.v1.SlackAdminService"] = new("Slack", slack.GrpcAddress, slack.ConnectionString);
        ByService["genie.slack.v1.SlackNoticeService"] = new("Slack", slack.GrpcAddress, slack.ConnectionString);
    }

    /// <summary>Every table of every service's database as "service table: rows digest".</summary>
    public async Task<List<string>> SnapshotAsync()
    {
        var lines = new List<string>();
        foreach (var target in ByService.Values)
            foreach (var (table, (rows, digest)) in await DatabaseSnapshot.TakeAsync(target.ConnectionString))
                lines.Add($"{target.Name} {table}: {rows} {digest}");
        return lines;
    }

    public async Task DisposeAsync()
    {
        Grpc.Dispose();
        for (var i = _hosts.Count - 1; i >= 0; i--)
            await _hosts[i].DisposeAsync();
    }
}
