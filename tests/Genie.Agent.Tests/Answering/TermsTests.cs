using Genie.Agent.Text;

namespace Genie.Agent.Tests.Answering;

public sealed class TermsTests
{
    [Fact]
    public void Content_terms_are_lower_cased_stemmed_and_free_of_stop_words_and_apostrophes()
    {
        var terms = Terms.Of("How do I get the PIV cards? Studies, carding and passes don't matter; Zürich's node.js C++ team's 2 x");

        Assert.Equal(["piv", "card", "study", "card", "pass", "matter", "zürich", "node.js", "c++", "team", "2"], terms);
    }

    [Fact]
    public void Stems_join_plurals_and_ing_and_ed_forms_but_leave_short_and_mixed_words()
    {
        Assert.Equal("run", Terms.Stem("running"));
        Assert.Equal("stop", Terms.Stem("stopped"));
        Assert.Equal("box", Terms.Stem("boxes"));
        Assert.Equal("policy", Terms.Stem("policies"));
        Assert.Equal("class", Terms.Stem("class"));
        Assert.Equal("bus", Terms.Stem("bus"));
        Assert.Equal("v2s", Terms.Stem("v2s"));
        Assert.Equal("straße", Terms.Stem("straßes"));
    }

    [Fact]
    public void A_word_longer_than_the_stack_buffer_is_a_term_like_any_other()
    {
        var longWord = new string('k', 70) + "s";

        Assert.Equal([new string('k', 70)], Terms.Of(longWord));
    }
}
