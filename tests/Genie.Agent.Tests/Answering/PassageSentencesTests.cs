using Genie.Agent.Answering;

namespace Genie.Agent.Tests.Answering;

public sealed class PassageSentencesTests
{
    [Fact]
    public void Markup_code_tables_and_template_tags_are_dropped_and_list_items_become_sentences()
    {
        var passage = """
            ## Heading
            Read the [travel guide](https://example.test/guide) and the [voucher rules][vouchers] first. Then **file** it.

            ```bash
            rm -rf /
            ```
            | a | b |
            - Bring two forms of identity documents
            {% include "x.html" %}
            """;

        var sentences = PassageSentences.Split(passage);

        Assert.Equal(
            ["Read the travel guide and the voucher rules first.", "Then file it.", "Bring two forms of identity documents."],
            sentences);
    }
}
