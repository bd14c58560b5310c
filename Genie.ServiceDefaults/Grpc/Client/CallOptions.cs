namespace Genie.ServiceDefaults.Grpc.Client;

/// <summary>Per-call settings: deadline, cancellation, metadata and the bearer token to send.</summary>
public sealed record CallOptions
{
    public static readonly CallOptions Default = new();

    /// <summary>When the caller stops waiting; sent to the server as <c>grpc-timeout</c>.</summary>
    public DateTimeOffset? Deadline { get; init; }

    public CancellationToken CancellationToken { get; init; }

    public Metadata? Headers { get; init; }

    /// <summary>Sent as <c>authorization: Bearer …</c>; overrides the channel's default token.</summary>
    public string? BearerToken { get; init; }

    public static CallOptions WithTimeout(TimeSpan timeout, string? bearerToken = null, CancellationToken ct = default) =>
        new() { Deadline = DateTimeOffset.UtcNow + timeout, BearerToken = bearerToken, CancellationToken = ct };
}
