using Genie.Retrieval.Search;

namespace Genie.Retrieval.Tests.Search;

public class TextQueryTests
{
    private static Func<string, float> Shares(params (string Lexeme, float Share)[] shares) =>
        lexeme => shares.FirstOrDefault(s => s.Lexeme == lexeme).Share;

    [Fact]
    public void Rare_words_match_alone_and_common_ones_only_in_pairs()
    {
        var plan = TextQuery.Plan(["leav", "request", "annual", "advanc"], Shares(("leav", 0.08f), ("request", 0.10f), ("annual", 0.01f), ("advanc", 0.02f)),
            scopeChunks: 10_000, budget: 300);

        Assert.NotNull(plan);
        // annual (100 expected) and advanc (200) fit the budget; leave (800) and request (1000) do not, nor does their pair (80 more).
        Assert.Equal("'annual' | 'advanc'", plan.Query);
        Assert.Equal(["annual", "advanc", "leav", "request"], plan.Lexemes);

        var wider = TextQuery.Plan(["leav", "request", "annual", "advanc"], Shares(("leav", 0.08f), ("request", 0.10f), ("annual", 0.01f), ("advanc", 0.02f)),
            scopeChunks: 10_000, budget: 400);
        Assert.Equal("'annual' | 'advanc' | ('leav' & 'request')", wider!.Query);
    }

    [Fact]
    public void When_every_word_is_common_the_rarest_pair_is_required()
    {
        var plan = TextQuery.Plan(["kuro", "daga", "sola"], Shares(("kuro", 0.99f), ("daga", 0.9f), ("sola", 0.15f)), 100_000, 300);
        Assert.Equal("('sola' & 'daga')", plan!.Query);

        var single = TextQuery.Plan(["kuro"], Shares(("kuro", 0.99f)), 100_000, 300);
        Assert.Equal("'kuro'", single!.Query);
    }

    [Fact]
    public void Small_scopes_take_every_word_and_nothing_plans_nothing()
    {
        var plan = TextQuery.Plan(["laptop", "laptop", "polici", ""], Shares(("laptop", 0.5f), ("polici", 0.9f)), 40, 300);
        Assert.Equal("'laptop' | 'polici'", plan!.Query);
        Assert.Null(TextQuery.Plan([], _ => 0, 1000, 300));
    }

    [Fact]
    public void Lexemes_are_quoted_so_punctuation_is_never_an_operator()
    {
        Assert.Equal("'don''t'", TextQuery.Quote("don't"));
        Assert.Equal(@"'a\\b'", TextQuery.Quote(@"a\b"));
        Assert.Equal("'18f.gsa.gov' | 'x&y'", TextQuery.Plan(["x&y", "18f.gsa.gov"], _ => 0, 10, 300)!.Query);
    }
}
