using Genie.Slack.Answering;

namespace Genie.Slack.Welcome;

/// <summary>The welcome DM: who made the account, how to ask each bot, and the portal.</summary>
public static class WelcomeText
{
    public static string For(string displayName, string invitedBy, string portalUrl)
    {
        var who = invitedBy.Length > 0 ? SlackText.Escape(invitedBy) + " created" : "You now have";
        return $"""
            👋 *Welcome to Genie Mentor, {SlackText.Escape(displayName)}!* {who} a Genie account for you.
            • *Questions about our docs*: send me a direct message here or mention me in a channel; I answer with sources.
            • *Your learning*: `/genie next` shows your next step, `/genie progress` how far you are.
            • *The portal*: {SlackText.Link(portalUrl, "open Genie Mentor")}. Your invitation e-mail has the link to choose your password.
            """;
    }
}
