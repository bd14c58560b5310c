namespace Genie.LmsBridge.TalentLms;

/// <summary>Resilience knobs (config section Genie:Lms:Client).</summary>
public sealed class TalentLmsClientOptions
{
    /// <summary>Per-attempt timeout.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after transient failures (timeouts, 5xx, connection errors, 429).</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>First back-off delay for transient errors; doubles with jitter.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Longest wait for a rate-limit reset inside one call; a later reset fails the call with
    /// <see cref="TalentLmsRateLimitedException"/> (the hourly quota can be an hour away).
    /// </summary>
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromMinutes(2);
}
