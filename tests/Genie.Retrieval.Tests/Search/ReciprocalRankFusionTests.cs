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
    public void A_heavier_list_decides_between_items_it_ranks_apart_and_scores_stay_in_0_to_1()
    {
        IReadOnlyList<IReadOnlyList<string>> lists = [["vector-first", "text-first"], ["text-first", "vector-first"]];

        Assert.Equal("vector-first", ReciprocalRankFusion.Fuse(lists, 30, [2.0, 1.0])[0].Item);
        Assert.Equal("text-first", ReciprocalRankFusion.Fuse(lists, 30, [1.0, 2.0])[0].Item);
        Assert.Equal(1.0, ReciprocalRankFusion.Fuse<string>([["x"], ["x"]], 30, [2.0, 1.0])[0].Score, 10);
        Assert.All(ReciprocalRankFusion.Fuse(lists, 30, [2.0, 1.0]), f => Assert.InRange(f.Score, 0, 1));
    }

    [Fact]
    public void Empty_lists_give_nothing() => Assert.Empty(ReciprocalRankFusion.Fuse<string>([[], []]));
}
