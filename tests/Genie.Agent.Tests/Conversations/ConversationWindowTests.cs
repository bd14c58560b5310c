using Genie.Agent.Conversations;
using Genie.Agent.Prompting;

namespace Genie.Agent.Tests.Conversations;

public sealed class ConversationWindowTests
{
    private static readonly ConversationTurn[] FourTurns =
    [
        new("user", "How do I get a PIV card?"), new("assistant", "Ask your sponsor. It takes weeks."),
        new("user", "How do I request leave?"), new("assistant", "Use the time tracking tool."),
    ];

    [Fact]
    public void The_prompt_sees_the_last_messages_verbatim_and_older_unsummarized_ones_in_the_summary()
    {
        var window = new ConversationWindow(MessageCount: 6, StoredSummary: "- The user asked: Where is the office?", SummarizedThrough: 2, FourTurns);

        var (summary, recent) = window.View(recentMessages: 2);

        Assert.Equal(FourTurns[2..], recent);
        Assert.Equal("- The user asked: Where is the office?\n- The user asked: How do I get a PIV card? Genie answered: Ask your sponsor.", summary);
    }

    [Fact]
    public void Storing_a_turn_folds_what_leaves_the_window_and_says_how_far_the_summary_reaches()
    {
        var window = new ConversationWindow(MessageCount: 4, StoredSummary: "", SummarizedThrough: 0, FourTurns);

        var (summary, through) = window.FoldAfter(new ConversationTurn("user", "And laptops?"), new ConversationTurn("assistant", "IT ships them."), recentMessages: 4);
        var (unchanged, same) = window.FoldAfter(new ConversationTurn("user", "And laptops?"), new ConversationTurn("assistant", "IT ships them."), recentMessages: 6);

        Assert.Equal(2, through);
        Assert.Equal("- The user asked: How do I get a PIV card? Genie answered: Ask your sponsor.", summary);
        Assert.Equal(("", 0), (unchanged, same));
    }
}
