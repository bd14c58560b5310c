using Genie.ServiceDefaults.Grpc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Genie.Web.Backends;

/// <summary>Turns a failed gRPC call into words for a person, and INVALID_ARGUMENT details into form errors.</summary>
public static class BackendErrors
{
    public static string Describe(RpcException e, string service) => e.Status switch
    {
        StatusCode.Unavailable or StatusCode.DeadlineExceeded => $"{service} is not available right now: {e.Detail}",
        StatusCode.PermissionDenied => e.Detail,
        StatusCode.NotFound => e.Detail,
        StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.Aborted or StatusCode.AlreadyExists => e.Detail,
        _ => $"{service} answered {e.Status}: {e.Detail}",
    };

    /// <summary>
    /// Adds an INVALID_ARGUMENT ("field: problem") to the form field it names (snake_case rpc field →
    /// <paramref name="fields"/>), else to the whole form. Returns false when the error is another kind.
    /// </summary>
    public static bool AddToModelState(RpcException e, ModelStateDictionary modelState, IReadOnlyDictionary<string, string> fields)
    {
        if (e.Status != StatusCode.InvalidArgument)
            return false;
        var parts = e.Detail.Split(": ", 2);
        if (parts.Length == 2 && fields.TryGetValue(parts[0], out var key))
            modelState.AddModelError(key, Capitalise(parts[1]));
        else
            modelState.AddModelError("", e.Detail);
        return true;
    }

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
