using Genie.Retrieval.Chunking;
using Genie.Retrieval.Parsing;

namespace Genie.Retrieval.Tests.Chunking;

public class StructuredChunkerTests
{
    private static IReadOnlyList<TextChunk> Chunk(string markdown, ChunkingOptions? options = null) =>
        new StructuredChunker(options).Chunk(MarkdownParser.Parse(markdown));

    [Fact]
    public void Every_heading_starts_a_chunk_that_carries_its_heading_path()
    {
        var chunks = Chunk("# Guide\n\nIntro.\n\n## Setup\n\nInstall.\n\n### Mac\n\nUse brew.\n\n## Usage\n\nRun it.\n");

        Assert.Equal(["Intro.", "Install.", "Use brew.", "Run it."], chunks.Select(c => c.Text));
        Assert.Equal(["Guide", "Setup", "Mac"], chunks[2].HeadingPath);
        Assert.Equal(["Guide", "Usage"], chunks[3].HeadingPath);
        Assert.Equal([0, 1, 2, 3], chunks.Select(c => c.Ordinal));
    }

    [Fact]
    public void Small_blocks_are_gathered_up_to_the_target_size_with_overlap()
    {
        var paragraphs = Enumerable.Range(1, 12).Select(i => $"Paragraph {i} talks about topic {i}. It ends here {i}.");
        var chunks = Chunk("## Section\n\n" + string.Join("\n\n", paragraphs), new ChunkingOptions { TargetChars = 200, MaxChars = 300, OverlapChars = 40 });

        Assert.True(chunks.Count > 3);
        Assert.All(chunks, c => Assert.True(c.Text.Length <= 300, $"chunk of {c.Text.Length} chars"));
        // The second chunk starts with the last sentence of the first one.
        Assert.StartsWith(chunks[0].Text.Split(". ")[^1].TrimEnd('.'), chunks[1].Text);
        Assert.All(chunks, c => Assert.Equal(["Section"], c.HeadingPath));
    }

    [Fact]
    public void Fenced_code_stays_whole_up_to_its_limit_and_is_refenced_when_split()
    {
        var code = "```python\n" + string.Join("\n", Enumerable.Range(1, 40).Select(i => $"print('line {i} of the script')")) + "\n```";
        var whole = Chunk("Intro.\n\n" + code, new ChunkingOptions { TargetChars = 300, MaxChars = 400, MaxCodeChars = 4000 });
        Assert.Contains(whole, c => c.Text == code);

        var split = Chunk(code, new ChunkingOptions { TargetChars = 300, MaxChars = 400, MaxCodeChars = 500 });
        Assert.True(split.Count > 1);
        Assert.All(split, c =>
        {
            Assert.StartsWith("```python\n", c.Text);
            Assert.EndsWith("\n```", c.Text);
            Assert.True(c.Text.Length <= 500);
        });
    }

    [Fact]
    public void Long_tables_repeat_their_header_and_long_lists_split_between_items()
    {
        var table = "| Name | Role |\n| --- | --- |\n" + string.Join("\n", Enumerable.Range(1, 60).Select(i => $"| Person {i} | Engineer {i} |"));
        var tableChunks = Chunk(table, new ChunkingOptions { TargetChars = 300, MaxChars = 400 });
        Assert.True(tableChunks.Count > 1);
        Assert.All(tableChunks, c => Assert.StartsWith("| Name | Role |\n| --- | --- |\n| Person", c.Text));

        var list = string.Join("\n", Enumerable.Range(1, 60).Select(i => $"- item number {i} of the checklist"));
        var listChunks = Chunk(list, new ChunkingOptions { TargetChars = 300, MaxChars = 400, OverlapChars = 0 });
        Assert.True(listChunks.Count > 1);
        Assert.All(listChunks, c => Assert.All(c.Text.Split('\n'), line => Assert.Matches(@"^- item number \d+ of the checklist$", line)));
    }

    [Fact]
    public void A_giant_paragraph_is_cut_at_sentences_and_never_exceeds_the_maximum()
    {
        var paragraph = string.Join(" ", Enumerable.Range(1, 200).Select(i => $"Sentence number {i} is here."));
        var chunks = Chunk(paragraph, new ChunkingOptions { TargetChars = 500, MaxChars = 800, OverlapChars = 0 });

        Assert.True(chunks.Count >= 8);
        Assert.All(chunks, c => Assert.True(c.Text.Length <= 800));
        Assert.All(chunks, c => Assert.EndsWith(".", c.Text));
        Assert.Equal(paragraph.Length, chunks.Sum(c => c.Text.Length) + chunks.Count - 1);
    }
}

public class OversizedHeaderTests
{
    [Fact]
    public void A_table_whose_header_exceeds_the_target_still_splits_into_rows()
    {
        var header = "| " + string.Join(" | ", Enumerable.Range(1, 40).Select(i => $"Column heading {i}")) + " |";
        var separator = "| " + string.Join(" | ", Enumerable.Repeat("---", 40)) + " |";
        var rows = Enumerable.Range(1, 30).Select(r => "| " + string.Join(" | ", Enumerable.Range(1, 40).Select(i => $"v{r}.{i}")) + " |");
        var table = string.Join("\n", new[] { header, separator }.Concat(rows));

        var chunks = new StructuredChunker(new ChunkingOptions { TargetChars = 500, MaxChars = 800 }).Chunk(MarkdownParser.Parse(table));

        Assert.True(chunks.Count > 1);
        Assert.All(chunks, c => Assert.StartsWith(header + "\n" + separator + "\n| v", c.Text));
        Assert.Equal(30, chunks.Sum(c => c.Text.Split('\n').Length - 2));
    }
}
