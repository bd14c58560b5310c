using Genie.Contracts.Retrieval.V1;
using Genie.ServiceDefaults.Auth;
using Genie.Testing;
using Genie.Testing.Hosts;

namespace Genie.Cli.Tests;

/// <summary>
/// Retrieval, Agent and Web on loopback with one signing key, as the AppHost runs them, plus three people with
/// personal access tokens: a learner granted the Handbook, a learner granted only Security, and an admin.
/// </summary>
public sealed class GenieSystem : IAsyncLifetime
{
    public const string BadgesMarkdown = """
        # Building badges

        ## Getting your badge

        Your building badge is issued by the security desk within two business days of your start date.
        Bring a photo ID to the security desk on the ground floor to collect the badge.
        """;

    public const string VpnMarkdown = """
        # VPN access

        ## Rotating your VPN certificate

        VPN certificates expire every ninety days. Renew the certificate from the self-service vault before it lapses.
        """;

    public RetrievalTestHost Retrieval { get; private set; } = null!;

    public AgentTestHost Agent { get; private set; } = null!;

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
        Web = await WebTestHost.StartAsync(TestSettings.Merge(Retrieval.ClientSettings, Agent.ClientSettings));
        HandbookLearner = await PersonAsync(Roles.Learner, "handbook-learner@genie.test");
        SecurityLearner = await PersonAsync(Roles.Learner, "security-learner@genie.test");
        Admin = await PersonAsync(Roles.Admin, "cli-admin@genie.test");
        await Retrieval.CreateKbWithDocumentsAsync("Handbook", new Grants { UserIds = { HandbookLearner.Id.ToString() } }, [("badges.md", BadgesMarkdown)]);
        await Retrieval.CreateKbWithDocumentsAsync("Security", new Grants { UserIds = { SecurityLearner.Id.ToString() } }, [("vpn.md", VpnMarkdown)]);
    }

    /// <summary>A new person with a fresh personal access token.</summary>
    public async Task<Person> PersonAsync(string role, string? email = null)
    {
        var id = await Web.CreateUserAsync(role, email ?? $"{role}-{Guid.NewGuid():N}@genie.test");
        var (tokenId, secret) = await Web.CreateAccessTokenAsync(id);
        return new Person(id, role, email ?? "", tokenId, secret);
    }

    public async Task DisposeAsync()
    {
        await Web.DisposeAsync();
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
