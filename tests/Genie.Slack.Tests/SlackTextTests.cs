using Genie.Slack.Answering;
using Genie.Slack.Http;

namespace Genie.Slack.Tests;

public sealed class SlackTextTests
{
    [Fact]
    public void Answer_text_cannot_ping_or_link_anyone()
    {
        var text = SlackText.FromMarkdown("Tell <!channel> & <@U123> about <https://evil.example|this>");

        Assert.Equal("Tell &lt;!channel&gt; &amp; &lt;@U123&gt; about &lt;https://evil.example|this&gt;", text);
    }

    [Fact]
    public void Markdown_bold_and_links_become_mrkdwn()
    {
        Assert.Equal("Next: *Unit 2* — <https://lms.example/u/2|open it>", SlackText.FromMarkdown("Next: **Unit 2** — [open it](https://lms.example/u/2)"));
    }

    [Fact]
    public void A_citation_title_cannot_break_out_of_its_link()
    {
        Assert.Equal("<https://docs.example/a|Pipes ¦ &lt;b&gt;>", SlackText.Link("https://docs.example/a", "Pipes | <b>"));
        Assert.Equal("javascript title", SlackText.Link("javascript:alert(1)", "javascript title"));
    }

    [Fact]
    public void The_question_loses_the_mention_and_Slack_escapes()
    {
        Assert.Equal("is A &amp; B < C?".Replace("&amp;", "&"), SlackText.Question("<@U0GENIEBOT> is A &amp; B &lt; C?"));
    }

    [Fact]
    public void A_signature_is_checked_over_the_raw_body_within_five_minutes()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var body = "token=x&text=hello%20world"u8.ToArray();
        var signature = SlackSignature.Compute("secret", "1700000000", body);

        Assert.Null(SlackSignature.Verify("secret", "1700000000", signature, body, now.AddMinutes(4)));
        Assert.Equal("the timestamp is more than five minutes away", SlackSignature.Verify("secret", "1700000000", signature, body, now.AddMinutes(6)));
        Assert.Equal("the signature does not match", SlackSignature.Verify("secret", "1700000000", signature, "token=x&text=hello+world"u8, now));
        Assert.Equal("the signature does not match", SlackSignature.Verify("other", "1700000000", signature, body, now));
        Assert.Equal("the request is not signed", SlackSignature.Verify("secret", null, signature, body, now));
    }
}
