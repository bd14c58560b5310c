using Genie.ServiceDefaults.Text;

namespace Genie.ServiceDefaults.Tests.Text;

public sealed class QuestionTextTests
{
    [Fact]
    public void Pasted_html_keeps_only_its_words()
    {
        var question = QuestionText.Normalise(
            """<div class="usa-header"><nav><a href="/about/">About</a></nav></div><script>track()</script><p class="intro">&hellip;What is Tock?</p>""");

        Assert.Equal("About …What is Tock?", question);
    }

    [Fact]
    public void Markdown_keeps_link_text_and_loses_its_marks()
    {
        Assert.Equal("How do I get a PIV card and the badge?",
            QuestionText.Normalise("## How do I get a [PIV card](https://example.com/piv) and **the `badge`**?"));
    }

    [Theory]
    [InlineData("<p>How do I <b>book</b> travel?</p>", "How do I book travel?")]
    [InlineData("What&#39;s the **per diem** for `Denver`?", "What's the per diem for Denver?")]
    [InlineData("See [the leave page](https://example.gov/leave) &amp; tell me the rule", "See the leave page & tell me the rule")]
    [InlineData("<!-- pasted --><div class=\"q\">Who approves cloud.gov access?</div>", "Who approves cloud.gov access?")]
    [InlineData("Is it _really_ *twelve* weeks of ~~paid~~ leave?", "Is it really twelve weeks of paid leave?")]
    [InlineData("  How many weeks of\n parental leave?  ", "How many weeks of parental leave?")]
    public void Questions_lose_markup_and_keep_their_words(string question, string expected)
    {
        Assert.Equal(expected, QuestionText.Normalise(question));
    }

    [Theory]
    [InlineData("Is 3 < 5 and 7 > 2 in the leave policy?")]
    [InlineData("Do we write services in C# or F# on .NET?")]
    [InlineData("Should the <b>C#</b> style guide apply?", "Should the C# style guide apply?")]
    [InlineData("Which env var is CF_USERNAME and what is my_app_name?")]
    [InlineData("How do I use `C#` records?", "How do I use C# records?")]
    public void Words_with_marks_inside_them_are_left_alone(string question, string? expected = null)
    {
        Assert.Equal(expected ?? question, QuestionText.Normalise(question));
    }
}
