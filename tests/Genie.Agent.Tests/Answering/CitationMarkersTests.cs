using Genie.Agent.Answering;

namespace Genie.Agent.Tests.Answering;

public sealed class CitationMarkersTests
{
    private static (string Text, IReadOnlyList<int> Used) Run(int sources, params string[] deltas)
    {
        var markers = new CitationMarkers(sources);
        var text = string.Concat(deltas.Select(markers.Push)) + markers.Flush();
        return (text, markers.Used);
    }

    [Fact]
    public void Keeps_markers_that_point_at_sources_even_when_split_across_deltas()
    {
        var (text, used) = Run(3, "Cards take two weeks [", "2", "] and need a sponsor [1].");

        Assert.Equal("Cards take two weeks [1] and need a sponsor [2].", text);
        Assert.Equal([2, 1], used);
    }

    [Fact]
    public void Numbers_shown_markers_one_to_n_in_order_of_first_use()
    {
        var (text, used) = Run(6, "Leave is twelve weeks [3]. Apply in the portal [6], as the policy says [3].");

        Assert.Equal("Leave is twelve weeks [1]. Apply in the portal [2], as the policy says [1].", text);
        Assert.Equal([3, 6], used);
    }

    [Fact]
    public void Drops_markers_that_point_at_nothing_with_their_space()
    {
        var (text, used) = Run(2, "It takes two weeks [7]. Ask your supervisor [0] first [2].");

        Assert.Equal("It takes two weeks. Ask your supervisor first [1].", text);
        Assert.Equal([2], used);
    }

    [Fact]
    public void Splits_marker_lists_and_keeps_only_valid_numbers()
    {
        var (text, used) = Run(3, "Both say so [1, 3, 9].");

        Assert.Equal("Both say so [1][2].", text);
        Assert.Equal([1, 3], used);
    }

    [Fact]
    public void Leaves_other_brackets_alone()
    {
        var (text, used) = Run(2, "Use the [Save] button or an array like a[i] and [1].");

        Assert.Equal("Use the [Save] button or an array like a[i] and [1].", text);
        Assert.Equal([1], used);
    }

    [Fact]
    public void Emits_an_unclosed_bracket_at_the_end()
    {
        Assert.Equal("see [12", Run(20, "see [12").Text);
    }
}
