using Grpc.Core;

namespace Genie.ServiceDefaults.Rpc;

/// <summary>The errors handlers throw most, worded the same way everywhere (the field is always named).</summary>
public static class RpcErrors
{
    public static RpcException InvalidArgument(string field, string problem) =>
        new(new Status(StatusCode.InvalidArgument, $"{field}: {problem}"));

    public static RpcException NotFound(string what, string id) =>
        new(new Status(StatusCode.NotFound, $"{what} '{id}' was not found"));

    public static RpcException PermissionDenied(string detail) => new(new Status(StatusCode.PermissionDenied, detail));

    public static RpcException Of(StatusCode code, string detail) => new(new Status(code, detail));
}
