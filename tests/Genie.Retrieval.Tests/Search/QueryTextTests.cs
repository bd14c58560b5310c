using Genie.Retrieval.Search;

namespace Genie.Retrieval.Tests.Search;

public class QueryTextTests
{
    [Theory]
    [InlineData("<p>How do I <b>book</b> travel?</p>", "How do I book travel?")]
    [InlineData("What&#39;s the **per diem** for `Denver`?", "What's the per diem for Denver?")]
    [InlineData("See [the leave page](https://example.gov/leave) &amp; tell me the rule", "See the leave page & tell me the rule")]
    [InlineData("<!-- pasted --><div class=\"q\">Who approves cloud.gov access?</div>", "Who approves cloud.gov access?")]
    [InlineData("  How many weeks of parental leave?  ", "How many weeks of parental leave?")]
    public void Questions_lose_markup_and_keep_their_words(string question, string expected)
    {
        Assert.Equal(expected, QueryText.Normalize(question));
    }
}
