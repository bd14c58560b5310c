namespace Genie.Reliability.Tests.Abuse;

/// <summary>One set of hosts for all abuse tests; they run one after another so each can compare the databases.</summary>
[CollectionDefinition(nameof(AbuseCollection))]
public sealed class AbuseCollection : ICollectionFixture<ServicesUnderAttack>;
