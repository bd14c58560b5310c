namespace Genie.Slack.WebApi;

/// <summary>A Web API call answered <c>{"ok": false, "error": …}</c> (or failed past its retries).</summary>
public sealed class SlackApiException(string method, string error) : Exception($"Slack {method} failed: {error}")
{
    public string Method { get; } = method;

    public string Error { get; } = error;
}
