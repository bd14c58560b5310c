using Genie.Retrieval.Search;

namespace Genie.Retrieval.Tests.Search;

public class ReciprocalRankFusionTests
{
    [Fact]
    public void Items_high_in_both_lists_win_and_scores_scale_to_one()
    {
        var fused = ReciprocalRankFusion.Fuse<string>([["a", "b", "c"], ["b", "a", "d"]]);

        Assert.Equal(["a", "b", "c", "d"], fused.Select(f => f.Item));
        Assert.Equal(fused[0].Score, fused[1].Score, 10);
        Assert.Equal([1, 2], fused[0].Ranks);
        Assert.Equal([3, 0], fused[2].Ranks);
        Assert.Equal(1.0, ReciprocalRankFusion.Fuse<string>([["x"], ["x"]])[0].Score, 10);
        Assert.Equal(fused[2].Score, fused[3].Score, 10);
    }

    [Fact]
    public void An_item_in_both_lists_beats_one_first_in_a_single_list()
    {
        var fused = ReciprocalRankFusion.Fuse<string>([["solo", "both"], ["x", "both"]]);
        Assert.Equal("both", fused[0].Item);
    }

    [Fact]
    public void Empty_lists_give_nothing() => Assert.Empty(ReciprocalRankFusion.Fuse<string>([[], []]));
}
