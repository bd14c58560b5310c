namespace Genie.ServiceDefaults.Grpc.Server;

/// <summary>Sends the messages of a server-streaming response, each flushed as it is written.</summary>
public interface IServerStreamWriter<in T>
{
    Task WriteAsync(T message);
}
