using Grpc.Core;

namespace Genie.ServiceDefaults.Rpc;

/// <summary>The errors handlers throw most, worded the same way everywhere (the field is always named).</summary>
public static class RpcErrors
{
    // grpc-message travels in a header: a caller's megabyte-long value echoed there would break the whole connection.
    private const int MaxEchoedLength = 200;

    public static RpcException InvalidArgument(string field, string problem) =>
        new(new Status(StatusCode.InvalidArgument, $"{field}: {Clip(problem)}"));

    public static RpcException NotFound(string what, string id) =>
        new(new Status(StatusCode.NotFound, $"{what} '{Clip(id)}' was not found"));

    private static string Clip(string text) => text.Length <= MaxEchoedLength ? text : text[..MaxEchoedLength] + "…";

    public static RpcException PermissionDenied(string detail) => new(new Status(StatusCode.PermissionDenied, detail));

    public static RpcException Of(StatusCode code, string detail) => new(new Status(code, detail));
}
