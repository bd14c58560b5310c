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
