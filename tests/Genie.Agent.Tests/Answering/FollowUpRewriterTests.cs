using Genie.Agent.Answering;

namespace Genie.Agent.Tests.Answering;

public sealed class FollowUpRewriterTests
{
    [Fact]
    public void Carries_the_subject_of_the_previous_question_into_a_follow_up()
    {
        var query = FollowUpRewriter.Rewrite("and how long does that take?", "How do I get a PIV card?");

        Assert.Equal("PIV card: and how long does that take?", query);
    }

    [Fact]
    public void Leaves_a_standalone_question_alone()
    {
        const string question = "How do I request annual leave for a vacation?";

        Assert.Equal(question, FollowUpRewriter.Rewrite(question, "How do I get a PIV card?"));
    }

    [Fact]
    public void First_question_of_a_conversation_is_never_rewritten()
    {
        Assert.Equal("and how long does that take?", FollowUpRewriter.Rewrite("and how long does that take?", null));
    }

    [Fact]
    public void A_follow_up_of_a_follow_up_keeps_the_original_subject()
    {
        var first = FollowUpRewriter.Rewrite("what about the background check?", "How do I get a PIV card?");
        var second = FollowUpRewriter.Rewrite("and how long is it?", first);

        Assert.Contains("PIV", second);
        Assert.Contains("background check", first);
    }
}
