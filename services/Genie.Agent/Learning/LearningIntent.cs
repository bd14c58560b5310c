using System.Text.RegularExpressions;

namespace Genie.Agent.Learning;

/// <summary>The Learning Bot questions answered from LmsBridge data rather than from documents.</summary>
public enum LearningIntent
{
    None,
    NextStep,
    Progress,
    LastQuiz,
    Courses,
    Reminders,
}

/// <summary>
/// Recognises the Learning Bot's questions and close paraphrases. Order matters: a question about a
/// quiz's mistakes is a quiz question even when it says "next"; "explain X from my course" matches nothing
/// and goes to the course material.
/// </summary>
public static partial class LearningIntents
{
    public static LearningIntent Recognise(string message)
    {
        var text = message.ToLowerInvariant().Replace('’', '\'');
        if (Explain().IsMatch(text)) return LearningIntent.None;
        if (Quiz().IsMatch(text) && QuizOutcome().IsMatch(text)) return LearningIntent.LastQuiz;
        if (Reminder().IsMatch(text)) return LearningIntent.Reminders;
        if (Next().IsMatch(text)) return LearningIntent.NextStep;
        if (Courses().IsMatch(text)) return LearningIntent.Courses;
        if (Progress().IsMatch(text)) return LearningIntent.Progress;
        return LearningIntent.None;
    }

    [GeneratedRegex(@"^\s*(please\s+)?(explain|describe|teach me|what is|what are|what does|how does|how do(es)? .+ work)\b")]
    private static partial Regex Explain();

    [GeneratedRegex(@"\b(quiz|quizzes|test|tests|exam|assessment)\b")]
    private static partial Regex Quiz();

    [GeneratedRegex(@"\b(wrong|mistakes?|miss(ed)?|incorrect|fail(ed)?|score|scored|result|results|get|got|did|pass(ed)?|last|latest|recent|errors?)\b")]
    private static partial Regex QuizOutcome();

    [GeneratedRegex(@"\b(reminders?|deadlines?|due|overdue|nudges?)\b")]
    private static partial Regex Reminder();

    [GeneratedRegex(@"\bnext\b|what (should|do|can) i (do|study|learn|work on|take)|where (do|should|can) i (start|continue|pick up|resume)|what'?s left|what now|\bcontinue\b|\bresume\b|\bup next\b")]
    private static partial Regex Next();

    [GeneratedRegex(@"\b(which|what|my|list|show)\b.*\bcourses\b|\bassigned\b|\benrolled\b|\b(which|what|my) (tracks|trainings)\b")]
    private static partial Regex Courses();

    [GeneratedRegex(@"how am i doing|how('m| am) i (getting on|progressing)|\bprogress\b|how far|\bcomplet(e|ed|ion)\b|\bpercent(age)?\b|\bstatus\b|on track|behind")]
    private static partial Regex Progress();
}
