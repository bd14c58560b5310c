namespace Genie.Agent.Chat;

/// <summary>What generation produced: the answer as shown (invalid markers dropped) and what it cost.</summary>
public sealed record Generation(
    string Text,
    IReadOnlyList<int> CitedSources,
    string Model,
    int? InputTokens,
    int? OutputTokens,
    string? FallbackReason,
    bool Incomplete,
    TimeSpan? TimeToFirstDelta);
