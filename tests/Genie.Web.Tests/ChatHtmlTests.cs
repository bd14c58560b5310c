using Genie.Web.Chat;

namespace Genie.Web.Tests;

public sealed class ChatHtmlTests
{
    [Fact]
    public void A_snippet_keeps_its_match_marks_and_encodes_everything_else()
    {
        var html = ChatHtml.Snippet("Use <mark>badge</mark> readers; <script>alert(1)</script> <b>bold</b>");

        Assert.Contains("<mark>badge</mark>", html);
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<b>", html);
        Assert.Contains("&lt;script&gt;", html);
    }

    [Fact]
    public void A_mark_tag_with_attributes_is_not_let_through()
    {
        var html = ChatHtml.Snippet("<mark onmouseover=alert(1)>x</mark>");

        Assert.DoesNotContain("<mark ", html);
        Assert.StartsWith("&lt;mark", html);
    }
}

public sealed class DisplayTextTests
{
    [Fact]
    public void A_snippet_loses_markdown_marks_but_keeps_its_match_marks()
    {
        var html = ChatHtml.Snippet("Connect to the **<mark>GSA-Guest</mark>** network with your [visitor badge](/badges) and `wifi`.");

        Assert.Equal("Connect to the <mark>GSA-Guest</mark> network with your visitor badge and wifi.", html);
    }

    [Fact]
    public void An_escaped_title_is_decoded_once_and_encoded_again_in_the_citation()
    {
        var html = ChatHtml.Citations([new Genie.Contracts.Agent.V1.Citation { Marker = 1, ChunkId = "c1", DocumentTitle = "Logging in &amp; Networks" }], "/mentor");

        Assert.Contains("<strong class=\"cite-title\">Logging in &amp; Networks</strong>", html);
        Assert.DoesNotContain("&amp;amp;", html);
        Assert.Contains("href=\"/mentor/Source/c1#cited\"", html);
    }
}

public sealed class PlainWordsTests
{
    [Theory]
    [InlineData("query: must be at most 2000 characters", "Must be at most 2000 characters.")]
    [InlineData("file_name: setup.pdf is not a valid PDF", "setup.pdf is not a valid PDF.")]
    [InlineData("preferences.tone: must be at most 100 characters", "Must be at most 100 characters.")]
    [InlineData("The knowledge base was not found.", "The knowledge base was not found.")]
    public void Service_details_become_sentences_without_field_names(string detail, string expected) =>
        Assert.Equal(expected, Genie.Web.Backends.BackendErrors.Plain(detail));

    [Fact]
    public void The_question_box_and_the_agent_have_one_limit() =>
        Assert.Equal(Genie.Agent.AgentHandler.MaxMessageLength, QuestionRules.MaxLength);
}
