using Genie.Contracts.Retrieval.V1;
using Genie.ServiceDefaults.Auth;
using Genie.Testing;
using Genie.Testing.Hosts;

namespace Genie.Cli.Tests;

/// <summary>
/// Retrieval, Agent, LmsBridge (over a fake TalentLMS) and Web on loopback with one signing key, as the AppHost runs them, plus three people with
/// personal access tokens: a learner granted the Handbook, a learner granted only Security, and an admin.
/// </summary>
public sealed class GenieSystem : IAsyncLifetime
{
    public const string VpnMarkdown = """
        # VPN access

        ## Rotating your VPN certificate

        VPN certificates expire every ninety days. Renew the certificate from the self-service vault before it lapses.
        """;

    public RetrievalTestHost Retrieval { get; private set; } = null!;

    public AgentTestHost Agent { get; private set; } = null!;

    public LmsBridgeTestHost LmsBridge { get; private set; } = null!;

    public WebTestHost Web { get; private set; } = null!;

    /// <summary>Reads the Handbook (building badges).</summary>
    public Person HandbookLearner { get; private set; } = null!;

    /// <summary>Reads only Security (VPN).</summary>
    public Person SecurityLearner { get; private set; } = null!;

    public Person Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Retrieval = await RetrievalTestHost.StartAsync();
        Agent = await AgentTestHost.StartAsync(settings: Retrieval.ClientSettings);
        LmsBridge = await LmsBridgeTestHost.StartAsync(settings: Retrieval.ClientSettings);
        Web = await WebTestHost.StartAsync(TestSettings.Merge(Retrieval.ClientSettings, Agent.ClientSettings, LmsBridge.ClientSettings));
        HandbookLearner = await PersonAsync(Roles.Learner, "handbook-learner@genie.test");
        SecurityLearner = await PersonAsync(Roles.Learner, "security-learner@genie.test");
        Admin = await PersonAsync(Roles.Admin, "cli-admin@genie.test");
        await Retrieval.CreateKbWithDocumentsAsync("Handbook", new Grants { UserIds = { HandbookLearner.Id.ToString() } }, [("badges.md", SampleDocuments.BuildingBadges)]);
        // In TalentLMS the Handbook learner studies "Git basics": the introduction done, "Branches" next.
        var lms = LmsBridge.TalentLms.Data;
        var learner = lms.AddUser(HandbookLearner.Email, "Hana", "Book");
        var git = lms.AddCourse("Git basics", "GIT-101");
        var intro = lms.AddUnit(git, "Introduction");
        lms.AddUnit(git, "Branches");
        lms.Enroll(learner, git);
        lms.CompleteUnit(learner, intro, DateTimeOffset.UtcNow.AddDays(-1));
        await LmsBridge.SyncAsync();
        await Retrieval.CreateKbWithDocumentsAsync("Security", new Grants { UserIds = { SecurityLearner.Id.ToString() } }, [("vpn.md", VpnMarkdown)]);
    }

    /// <summary>A new person with a fresh personal access token.</summary>
    public async Task<Person> PersonAsync(string role, string? email = null)
    {
        email ??= $"{role}-{Guid.NewGuid():N}@genie.test";
        var id = await Web.CreateUserAsync(role, email);
        var (tokenId, secret) = await Web.CreateAccessTokenAsync(id);
        return new Person(id, role, email, tokenId, secret);
    }

    public async Task DisposeAsync()
    {
        await Web.DisposeAsync();
        await LmsBridge.DisposeAsync();
        await Agent.DisposeAsync();
        await Retrieval.DisposeAsync();
    }
}

public sealed record Person(Guid Id, string Role, string Email, Guid TokenId, string Token);

[CollectionDefinition(Name)]
public sealed class GenieSystemCollection : ICollectionFixture<GenieSystem>
{
    public const string Name = "genie system";
}
