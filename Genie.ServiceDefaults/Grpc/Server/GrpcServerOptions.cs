namespace Genie.ServiceDefaults.Grpc.Server;

public sealed class GrpcServerOptions
{
    /// <summary>Largest request message accepted; larger → RESOURCE_EXHAUSTED. gRPC's default is 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = GrpcFraming.DefaultMaxReceiveMessageSize;
}
