using System.Text.RegularExpressions;

namespace Genie.Slack.Inbound;

/// <summary>
/// Which bot a Slack message is for. Questions about one's own learning ("what should I do next?",
/// "how is my progress?") go to the Learning Bot, which answers them from LmsBridge; everything else
/// to the Onboarding Bot. A thread keeps the bot it started with.
/// </summary>
public static partial class BotChoice
{
    public const string Onboarding = "onboarding";
    public const string Learning = "learning";

    public static string For(string question) => LearningWords().IsMatch(question) ? Learning : Onboarding;

    [GeneratedRegex(@"\b(what should i (do|study|learn) next|next (step|unit|lesson|course)|my (progress|courses?|tracks?|quiz|quizzes|reminders?|deadlines?)|how am i doing|what'?s left)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LearningWords();
}
