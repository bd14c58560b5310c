using Genie.Agent.Prompting;

namespace Genie.Agent.Conversations;

/// <summary>
/// A conversation as loaded for its next turn: the stored rolling summary and the messages not folded into it
/// yet (seq <c>SummarizedThrough+1 … MessageCount</c>, normally just the recent window). The fold is computed
/// from this when the turn is stored, so storing needs no extra read.
/// </summary>
public sealed record ConversationWindow(int MessageCount, string StoredSummary, int SummarizedThrough, IReadOnlyList<ConversationTurn> Unsummarized)
{
    public static readonly ConversationWindow Empty = new(0, "", 0, []);

    /// <summary>What the prompt shows: the last <paramref name="recentMessages"/> verbatim, everything older in the summary.</summary>
    public (string Summary, IReadOnlyList<ConversationTurn> Recent) View(int recentMessages)
    {
        var leaving = Math.Max(0, Unsummarized.Count - recentMessages);
        var summary = leaving == 0 ? StoredSummary : RollingSummary.Fold(StoredSummary, Unsummarized.Take(leaving));
        return (summary, Unsummarized.Skip(leaving).ToList());
    }

    /// <summary>The summary to store once <paramref name="question"/> and <paramref name="answer"/> follow, and the last seq it covers.</summary>
    public (string Summary, int Through) FoldAfter(ConversationTurn question, ConversationTurn answer, int recentMessages)
    {
        var all = Unsummarized.Append(question).Append(answer).ToList();
        var leaving = Math.Max(0, all.Count - recentMessages);
        return leaving == 0
            ? (StoredSummary, SummarizedThrough)
            : (RollingSummary.Fold(StoredSummary, all.Take(leaving)), SummarizedThrough + leaving);
    }
}
