namespace Genie.ServiceDefaults.Grpc.Client;

public sealed class GrpcChannelOptions
{
    /// <summary>Largest response message accepted; larger → RESOURCE_EXHAUSTED. gRPC's default is 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = GrpcFraming.DefaultMaxReceiveMessageSize;

    /// <summary>Attempts for an idempotent call failing UNAVAILABLE (first try included), within its deadline.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>Token for calls whose options name none (e.g. a service's own token). Null: send none.</summary>
    public Func<string?>? DefaultBearerToken { get; set; }

    /// <summary>For tests: the handler that carries HTTP/2; default a tuned SocketsHttpHandler.</summary>
    public HttpMessageHandler? Handler { get; set; }
}
