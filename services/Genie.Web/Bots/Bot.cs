namespace Genie.Web.Bots;

/// <summary>The bots a person can be given. Ids match Agent's bot names.</summary>
public sealed record Bot(string Id, string Name, string Tagline)
{
    public const string OnboardingId = "onboarding";
    public const string LearningId = "learning";

    public static readonly Bot Onboarding = new(OnboardingId, "Onboarding Bot", "Answers questions about our internal documentation, with sources.");
    public static readonly Bot Learning = new(LearningId, "Learning Bot", "Guides you through your assigned learning tracks and quizzes.");

    public static readonly IReadOnlyList<Bot> All = [Onboarding, Learning];

    public static Bot? Find(string? id) => All.FirstOrDefault(b => b.Id == id);
}
