namespace Genie.ServiceDefaults.Grpc;

/// <summary>
/// A gRPC call ended with a non-OK status. Thrown by handlers to choose the status the caller sees,
/// and by the client when a call fails.
/// </summary>
public sealed class RpcException : Exception
{
    public RpcException(StatusCode status, string detail, Metadata? trailers = null, Exception? inner = null)
        : base($"Status(StatusCode=\"{status}\", Detail=\"{detail}\")", inner)
    {
        Status = status;
        Detail = detail;
        Trailers = trailers ?? new Metadata();
    }

    public StatusCode Status { get; }

    public string Detail { get; }

    public Metadata Trailers { get; }

    public static RpcException InvalidArgument(string field, string problem) =>
        new(StatusCode.InvalidArgument, $"{field}: {problem}");

    public static RpcException NotFound(string what, string id) =>
        new(StatusCode.NotFound, $"{what} '{id}' was not found");

    public static RpcException PermissionDenied(string detail) => new(StatusCode.PermissionDenied, detail);
}
