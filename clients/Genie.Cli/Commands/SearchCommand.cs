using System.CommandLine;
using System.Text.RegularExpressions;
using Genie.Contracts.Retrieval.V1;
using Spectre.Console;

namespace Genie.Cli.Commands;

/// <summary><c>genie search "terms"</c>: hybrid search over the documentation the user may read.</summary>
public static partial class SearchCommand
{
    public static Command Create(CommandContext context)
    {
        var terms = new Argument<string>("terms") { Description = "What to look for." };
        var kb = new Option<string?>("--kb") { Description = "Only search this knowledge base (name or id)." };
        var top = new Option<int>("-k", "--top") { Description = "How many passages, 1 to 50.", DefaultValueFactory = _ => 8 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the hits." };
        var command = new Command("search", "Search the documentation you may read (keywords and meaning).") { terms, kb, top, json };
        command.SetAction(async (parse, ct) =>
        {
            var query = parse.GetValue(terms)?.Trim() ?? "";
            if (query.Length == 0)
                throw new CliException("the search terms are empty");
            var k = parse.GetValue(top);
            if (k is < 1 or > 50)
                throw new CliException("-k must be between 1 and 50");
            using var session = context.OpenSession();
            var request = new SearchRequest { Query = query, TopK = k };
            if (parse.GetValue(kb) is { Length: > 0 } name)
                request.KnowledgeBaseIds.Add((await KnowledgeBaseLookup.FindAsync(session, name, ct)).Id);
            var response = await session.UnaryAsync(o => session.Retrieval.SearchAsync(request, o), ct);
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(context, new
                {
                    hits = response.Hits.Select(h => new { title = h.DocumentTitle, headingPath = string.Join(" > ", h.HeadingPath), uri = h.Uri, documentId = h.DocumentId, knowledgeBaseId = h.KnowledgeBaseId, snippet = Unmark(h.Snippet), score = h.Score }),
                });
                return 0;
            }
            if (response.Hits.Count == 0)
            {
                context.Console.WriteLine("No matches in the documentation you may read.");
                return 0;
            }
            var n = 0;
            foreach (var hit in response.Hits)
            {
                var heading = hit.HeadingPath.Count > 0 ? " — " + string.Join(" > ", hit.HeadingPath) : "";
                context.Console.MarkupLineInterpolated($"[[{++n}]] [bold]{hit.DocumentTitle}[/]{heading} [grey]({hit.Score:0.00})[/]");
                if (hit.Uri.Length > 0)
                    context.Console.WriteLine("    " + hit.Uri);
                context.Console.WriteLine("    " + Unmark(hit.Snippet is { Length: > 0 } s ? s : hit.Text));
            }
            return 0;
        });
        return command;
    }

    // Snippets wrap matched terms in <mark>…</mark> for HTML; a terminal shows plain text.
    private static string Unmark(string snippet) => Mark().Replace(snippet, "").ReplaceLineEndings(" ").Trim();

    [GeneratedRegex("</?mark>")]
    private static partial Regex Mark();
}
