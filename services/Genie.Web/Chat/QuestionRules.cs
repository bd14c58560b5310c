namespace Genie.Web.Chat;

/// <summary>
/// The one limit on a question, stated in the composer and checked before the Agent is called. It is the
/// Agent's own limit (<c>AgentHandler.MaxMessageLength</c>, which Retrieval's search accepts); a test holds the two equal.
/// </summary>
public static class QuestionRules
{
    public const int MaxLength = 2000;

    /// <summary>Why the question cannot be sent, in plain words, or null when it can.</summary>
    public static string? Problem(string question) =>
        question.Length == 0 ? "Type a question first."
        : question.Length > MaxLength ? $"Questions can be at most {MaxLength:N0} characters; this one has {question.Length:N0}. Shorten it and send it again."
        : null;
}
