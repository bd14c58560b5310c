using System.Net;

namespace Genie.LmsBridge.TalentLms;

/// <summary>TalentLMS answered with an error; <see cref="ApiMessage"/> is its own words.</summary>
public sealed class TalentLmsApiException(HttpStatusCode status, string apiMessage, string path)
    : Exception($"TalentLMS {path} failed ({(int)status}): {apiMessage}")
{
    public HttpStatusCode Status { get; } = status;

    public string ApiMessage { get; } = apiMessage;

    public string Path { get; } = path;

    public bool IsUnauthorized => Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
}

/// <summary>TalentLMS answered 200 but the payload does not have the documented shape.</summary>
public sealed class TalentLmsFormatException(string path, string problem)
    : Exception($"TalentLMS {path} returned an unexpected payload: {problem}")
{
    public string Path { get; } = path;
}

/// <summary>The rate limit resets later than we are willing to wait inside one call.</summary>
public sealed class TalentLmsRateLimitedException(string path, DateTimeOffset? resetsAt)
    : Exception(resetsAt is { } at
        ? $"TalentLMS {path}: rate limit exceeded; it resets at {at:u}"
        : $"TalentLMS {path}: rate limit exceeded")
{
    public DateTimeOffset? ResetsAt { get; } = resetsAt;
}
