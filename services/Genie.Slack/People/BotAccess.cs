using Genie.Slack.Inbound;

namespace Genie.Slack.People;

/// <summary>What someone hears when they ask a bot the portal has not given them (Web's bot assignments).</summary>
public static class BotAccess
{
    public static string Name(string bot) => bot == BotChoice.Learning ? "Learning Bot" : "Onboarding Bot";

    public static string RefusalText(string bot) =>
        $"You don't have the {Name(bot)}; ask your Genie admin to assign it to you in the Genie portal.";
}
