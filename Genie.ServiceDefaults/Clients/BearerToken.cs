using Grpc.Core;

namespace Genie.ServiceDefaults.Clients;

/// <summary>Call options that carry a token explicitly (Web acting for a signed-in user, tests, benchmarks).</summary>
public static class BearerToken
{
    public const string Header = "authorization";

    public static Metadata Headers(string token) => new() { { Header, "Bearer " + token } };

    public static CallOptions Options(string token, TimeSpan? timeout = null, CancellationToken ct = default) =>
        new(Headers(token), timeout is { } t ? DateTime.UtcNow + t : null, ct);
}
