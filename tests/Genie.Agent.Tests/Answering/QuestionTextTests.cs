using Genie.Agent.Text;

namespace Genie.Agent.Tests.Answering;

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

    [Fact]
    public void A_plain_question_and_a_comparison_are_left_alone()
    {
        Assert.Equal("Is 3 < 5 and 7 > 2 in the leave policy?", QuestionText.Normalise("Is 3 < 5 and 7 > 2 in the leave policy?"));
    }
}
