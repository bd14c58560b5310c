using Genie.Retrieval.Search;

namespace Genie.Retrieval.Tests.Search;

public class SnippetsTests
{
    [Fact]
    public void Matched_words_and_their_inflections_are_marked()
    {
        var snippets = new Snippets("What is the laptop policy?", ["laptop", "polici"]);
        var snippet = snippets.For("Every employee gets a laptop. Laptops follow the equipment policies\nset by IT.");
        Assert.Equal("Every employee gets a <mark>laptop</mark>. <mark>Laptops</mark> follow the equipment <mark>policies</mark> set by IT.", snippet);
    }

    [Fact]
    public void Long_texts_give_up_to_two_passages_around_the_matches()
    {
        var filler = string.Join(' ', Enumerable.Range(0, 60).Select(i => $"word{i}"));
        var text = $"Badges are printed centrally. {filler} Your badge is shipped to the office. {filler} Nothing else here.";
        var snippet = new Snippets("badge shipped").For(text);

        var passages = snippet.Split(" … ");
        Assert.Equal(2, passages.Length);
        Assert.StartsWith("<mark>Badges</mark> are printed", passages[0]);
        Assert.Contains("Your <mark>badge</mark> is <mark>shipped</mark> to the office.", passages[1]);
        Assert.DoesNotContain("Nothing else", snippet);
    }

    [Fact]
    public void Without_a_match_the_snippet_is_the_start_of_the_text()
    {
        var text = string.Join(' ', Enumerable.Range(0, 50).Select(i => $"w{i}"));
        var snippet = new Snippets("unrelated").For(text);
        Assert.Equal(string.Join(' ', Enumerable.Range(0, 30).Select(i => $"w{i}")) + " …", snippet);
        Assert.Equal("", new Snippets("x").For("  --  "));
    }
}
