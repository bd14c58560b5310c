namespace Genie.Testing.Hosts;

/// <summary>Small handbook pages the end-to-end tests index and ask about.</summary>
public static class SampleDocuments
{
    /// <summary>badges.md: "Building badges" › "Getting your badge" (the security desk, a photo ID).</summary>
    public const string BuildingBadges = """
        # Building badges

        ## Getting your badge

        Your building badge is issued by the security desk within two business days of your start date.
        Bring a photo ID to the security desk on the ground floor to collect the badge.
        """;
}
