using System.Text.RegularExpressions;
using Grpc.Core;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Logging;

namespace Genie.Web.Backends;

/// <summary>Turns a failed gRPC call into words for a person, and INVALID_ARGUMENT details into form errors.</summary>
public static partial class BackendErrors
{
    public static string Describe(RpcException e, string service) => e.StatusCode switch
    {
        StatusCode.Unavailable or StatusCode.DeadlineExceeded => $"{service} is not available right now: {e.Status.Detail}",
        StatusCode.PermissionDenied or StatusCode.NotFound or StatusCode.InvalidArgument or StatusCode.FailedPrecondition
            or StatusCode.Aborted or StatusCode.AlreadyExists => Plain(e.Status.Detail),
        _ => $"{service} answered {e.StatusCode}: {e.Status.Detail}",
    };

    /// <summary>
    /// The same for the learner pages: an outage in plain words, without the addresses and transport
    /// details staff pages show (those go to the log instead).
    /// </summary>
    public static string ForLearner(RpcException e, string service, ILogger logger)
    {
        if (e.StatusCode is not (StatusCode.Unavailable or StatusCode.DeadlineExceeded))
            return Describe(e, service);
        logger.LogWarning("{Service} could not be reached for a learner page: {Status} {Detail}", service, e.StatusCode, e.Status.Detail);
        return $"{service} is not available right now. Please try again in a moment.";
    }

    /// <summary>
    /// Adds an INVALID_ARGUMENT ("field: problem") to the form field it names (snake_case rpc field →
    /// <paramref name="fields"/>), else to the whole form. Returns false when the error is another kind.
    /// </summary>
    public static bool AddToModelState(RpcException e, ModelStateDictionary modelState, IReadOnlyDictionary<string, string> fields)
    {
        if (e.StatusCode != StatusCode.InvalidArgument)
            return false;
        var parts = e.Status.Detail.Split(": ", 2);
        if (parts.Length == 2 && fields.TryGetValue(parts[0], out var key))
            modelState.AddModelError(key, Capitalise(parts[1]));
        else
            modelState.AddModelError("", e.Status.Detail);
        return true;
    }

    /// <summary>
    /// A service's "field: problem" detail as a sentence for a person: the rpc's field name goes (people
    /// never see it), the first letter is a capital and it ends with a full stop.
    /// </summary>
    public static string Plain(string detail)
    {
        var text = FieldPrefix().Replace(detail.Trim(), "", 1);
        if (text.Length == 0)
            return "The request was refused.";
        if (text.TakeWhile(c => c != ' ').All(char.IsLetter)) // "setup.pdf is …" keeps its file name as written
            text = Capitalise(text);
        return text[^1] is '.' or '!' or '?' ? text : text + ".";
    }

    [GeneratedRegex(@"^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+|\[\d+\])*: ")]
    private static partial Regex FieldPrefix();

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
