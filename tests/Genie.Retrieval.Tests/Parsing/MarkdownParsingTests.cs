using Genie.Retrieval.Parsing;

namespace Genie.Retrieval.Tests.Parsing;

public class MarkdownParsingTests
{
    [Fact]
    public void Front_matter_is_removed_and_its_title_kept()
    {
        var parsed = MarkdownParser.Parse("---\ntitle: \"TTS onboarding classes\"\nredirect_from:\n  - /x/\n---\n\nOur onboarding program helps you.\n");

        Assert.Equal("TTS onboarding classes", parsed.Title);
        var block = Assert.Single(parsed.Blocks);
        Assert.Equal("Our onboarding program helps you.", block.Text);
    }

    [Fact]
    public void Liquid_tags_resolve_to_readable_text()
    {
        var text = LiquidTags.Strip(
            "See [classes]({% page \"/getting-started/classes/\" %}) or ask in {% slack_channel \"tts-onboarding\" %}.\n" +
            "{% image \"_img/a.png\" \"choosing a city\" %}\n" +
            "{% comment %}internal note{% endcomment %}{% include \"step.html\" step=1 %}{{ site.baseurl }}\n" +
            "{% raw %}{% page \"/kept/\" %}{% endraw %}");

        Assert.Contains("[classes](/getting-started/classes/)", text);
        Assert.Contains("#tts-onboarding", text);
        Assert.Contains("choosing a city", text);
        Assert.DoesNotContain("internal note", text);
        Assert.DoesNotContain("step.html", text);
        Assert.DoesNotContain("baseurl", text);
        Assert.Contains("{% page \"/kept/\" %}", text);
    }

    [Fact]
    public void Blocks_follow_the_markdown_structure()
    {
        var parsed = MarkdownParser.Parse("""
            # Laptop setup

            Install the tools.

            ## Packages

            - git
            - node

            | Tool | Version |
            | --- | --- |
            | dotnet | 10 |

            ```bash
            brew install git
            ```
            """);

        Assert.Equal("Laptop setup", parsed.Title);
        Assert.Equal(
            [BlockKind.Heading, BlockKind.Paragraph, BlockKind.Heading, BlockKind.List, BlockKind.Table, BlockKind.Code],
            parsed.Blocks.Select(b => b.Kind));
        Assert.Equal(2, parsed.Blocks[2].Level);
        Assert.Equal("- git\n- node", parsed.Blocks[3].Text);
        Assert.StartsWith("```bash", parsed.Blocks[5].Text);
    }

    [Fact]
    public void Html_headings_lists_tables_and_pre_become_blocks()
    {
        var parsed = HtmlParser.Parse("""
            <html><head><title>Expense policy</title><script>var x = 1;</script></head>
            <body><nav>Home | About</nav><h1>Expenses</h1><p>Submit <b>receipts</b> within 30 days.</p>
            <ul><li>Taxi</li><li>Hotel<ul><li>Breakfast</li></ul></li></ul>
            <table><tr><th>Item</th><th>Limit</th></tr><tr><td>Meal</td><td>50</td></tr></table>
            <pre>code line</pre></body></html>
            """);

        Assert.Equal("Expense policy", parsed.Title);
        Assert.Equal([BlockKind.Heading, BlockKind.Paragraph, BlockKind.List, BlockKind.Table, BlockKind.Code], parsed.Blocks.Select(b => b.Kind));
        Assert.Equal("Submit receipts within 30 days.", parsed.Blocks[1].Text);
        Assert.Equal("- Taxi\n- Hotel\n  - Breakfast", parsed.Blocks[2].Text);
        Assert.Equal("| Item | Limit |\n| --- | --- |\n| Meal | 50 |", parsed.Blocks[3].Text);
        Assert.DoesNotContain(parsed.Blocks, b => b.Text.Contains("var x") || b.Text.Contains("Home"));
    }

    [Fact]
    public void Docx_headings_lists_and_tables_are_read()
    {
        var parsed = DocxParser.Parse(TestFiles.Docx("Travel guide", ("Heading1", "Booking"), (null, "Book flights in Concur."), ("ListParagraph", "Use the GSA fare")));

        Assert.Equal("Travel guide", parsed.Title);
        Assert.Contains(parsed.Blocks, b => b is { Kind: BlockKind.Heading, Text: "Booking", Level: 1 });
        Assert.Contains(parsed.Blocks, b => b is { Kind: BlockKind.Paragraph, Text: "Book flights in Concur." });
        Assert.Contains(parsed.Blocks, b => b is { Kind: BlockKind.List, Text: "- Use the GSA fare" });
    }

    [Fact]
    public void Corrupt_docx_is_a_parse_error()
    {
        var error = Assert.Throws<DocumentParseException>(() => DocxParser.Parse("PK\u0003\u0004 not really a zip"u8.ToArray()));
        Assert.Contains("DOCX", error.Message);
    }

    [Fact]
    public async Task Pdf_text_is_extracted_and_the_title_comes_from_the_metadata_not_the_print_header()
    {
        var parsed = await new DocumentParser().ParseAsync(
            TestFiles.Pdf("Security training is due in March", title: "Security training 2026"), DocumentFormats.Pdf, "training.pdf", default);

        Assert.Contains(parsed.Blocks, b => b.Text.Contains("Security training is due in March"));
        Assert.Equal("Security training 2026", parsed.Title);
    }

    [Fact]
    public async Task A_pdf_without_a_title_in_its_metadata_is_titled_by_its_file_name()
    {
        var parsed = await new DocumentParser().ParseAsync(TestFiles.Pdf("Security training is due in March"), DocumentFormats.Pdf, "training.pdf", default);

        Assert.Equal("training", parsed.Title);
    }

    [Fact]
    public async Task A_file_that_is_not_a_pdf_is_a_clear_error_naming_it()
    {
        // An executable renamed .pdf: the ELF header of a Linux binary.
        var renamed = new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3E, 0 };
        var error = await Assert.ThrowsAsync<DocumentParseException>(() =>
            new DocumentParser().ParseAsync(renamed, DocumentFormats.Pdf, "setup.pdf", default));

        Assert.StartsWith("setup.pdf is not a valid PDF", error.Message);
    }

    [Theory]
    [InlineData("guide.md", null, DocumentFormats.Markdown)]
    [InlineData("notes.txt", null, DocumentFormats.Text)]
    [InlineData("page", "text/html; charset=utf-8", DocumentFormats.Html)]
    [InlineData("x.docx", null, DocumentFormats.Docx)]
    [InlineData("x.PDF", null, DocumentFormats.Pdf)]
    [InlineData("image.png", null, null)]
    public void Formats_are_recognised_by_type_or_extension(string name, string? declared, string? expected) =>
        Assert.Equal(expected, DocumentFormats.Resolve(declared, name));
}
