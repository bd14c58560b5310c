namespace Genie.Slack.Admin;

/// <summary>Slack's Web API error codes in plain words for the admin page, the code kept in brackets.</summary>
public static class SlackErrors
{
    public static string Plain(string error) => error switch
    {
        "invalid_auth" => "Slack refused the bot token (invalid_auth).",
        "not_authed" => "No token was sent to Slack (not_authed).",
        "account_inactive" => "The token belongs to a deactivated user or a deleted app (account_inactive).",
        "token_revoked" => "The token has been revoked; reinstall the app and copy the new token (token_revoked).",
        "token_expired" => "The token has expired (token_expired).",
        "not_allowed_token_type" => "That kind of token is not allowed here; use the Bot User OAuth Token, xoxb-… (not_allowed_token_type).",
        "missing_scope" => "The app lacks a scope this needs; add it from the manifest and reinstall the app (missing_scope).",
        "ratelimited" => "Slack is rate limiting these calls; try again in a minute (ratelimited).",
        _ => $"Slack answered with an error ({error}).",
    };
}
