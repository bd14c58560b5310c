using Genie.Agent.Prompting;

namespace Genie.Agent.Conversations;

/// <summary>
/// Folds messages that leave the prompt's recent window into a compact running summary: one line per
/// question with the start of its answer, keeping the newest lines. Deterministic and model-free, so a
/// summary never costs a model call or invents anything.
/// </summary>
public static class RollingSummary
{
    public const int MaxLines = 12;
    private const int QuestionChars = 160;
    private const int AnswerChars = 200;

    public static string Fold(string summary, IEnumerable<ConversationTurn> leaving)
    {
        var lines = summary.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        string? pendingQuestion = null;
        foreach (var turn in leaving)
        {
            if (turn.Role == "user")
            {
                if (pendingQuestion is not null) lines.Add($"- The user asked: {pendingQuestion}");
                pendingQuestion = Cut(turn.Content, QuestionChars);
                continue;
            }
            var answer = Cut(FirstSentence(turn.Content), AnswerChars);
            lines.Add(pendingQuestion is null ? $"- Genie said: {answer}" : $"- The user asked: {pendingQuestion} Genie answered: {answer}");
            pendingQuestion = null;
        }
        if (pendingQuestion is not null) lines.Add($"- The user asked: {pendingQuestion}");
        return string.Join('\n', lines.TakeLast(MaxLines));
    }

    private static string FirstSentence(string text)
    {
        var flat = text.ReplaceLineEndings(" ");
        var end = flat.IndexOfAny(['.', '!', '?']);
        return end < 0 ? flat : flat[..(end + 1)];
    }

    private static string Cut(string text, int max)
    {
        var flat = text.ReplaceLineEndings(" ").Trim();
        return flat.Length <= max ? flat : flat[..max].TrimEnd() + "…";
    }
}
