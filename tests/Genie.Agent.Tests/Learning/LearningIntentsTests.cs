using Genie.Agent.Learning;

namespace Genie.Agent.Tests.Learning;

public sealed class LearningIntentsTests
{
    [Theory]
    [InlineData("What should I do next?", LearningIntent.NextStep)]
    [InlineData("what's next for me", LearningIntent.NextStep)]
    [InlineData("Where should I pick up my training?", LearningIntent.NextStep)]
    [InlineData("How am I doing?", LearningIntent.Progress)]
    [InlineData("how far along am I", LearningIntent.Progress)]
    [InlineData("What did I get wrong in the last quiz?", LearningIntent.LastQuiz)]
    [InlineData("Which questions did I miss on my latest test?", LearningIntent.LastQuiz)]
    [InlineData("Which courses do I have?", LearningIntent.Courses)]
    [InlineData("what am I enrolled in", LearningIntent.Courses)]
    [InlineData("Any reminders?", LearningIntent.Reminders)]
    [InlineData("is anything due soon?", LearningIntent.Reminders)]
    [InlineData("Explain rebasing from my Git course", LearningIntent.None)]
    [InlineData("What does git rebase do?", LearningIntent.None)]
    [InlineData("How do I get a PIV card?", LearningIntent.None)]
    public void Recognises_the_learning_questions_and_leaves_course_topics_to_the_material(string message, LearningIntent expected) =>
        Assert.Equal(expected, LearningIntents.Recognise(message));
}
