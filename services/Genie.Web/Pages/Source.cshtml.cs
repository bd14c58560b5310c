using Genie.Contracts.Retrieval.V1;
using Grpc.Core;
using Genie.Web.Backends;
using Genie.Web.Chat;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using GrpcStatus = Grpc.Core.StatusCode;

namespace Genie.Web.Pages;

/// <summary>
/// The document a citation points to, opened from the chat: Retrieval's chunks of it (read with the
/// caller's own token, so a learner opens only documents of knowledge bases granted to them), rendered
/// as sanitised Markdown, with the cited passage marked and scrolled to (<c>#cited</c>).
/// </summary>
public sealed class SourceModel(BackendClients backends, UserCalls calls, ILogger<SourceModel> logger) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string ChunkId { get; set; } = "";

    public Document? Document { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var options = calls.For(User, HttpContext.RequestAborted, TimeSpan.FromSeconds(15));
        try
        {
            var chunk = await backends.Retrieval.GetChunkAsync(new GetChunkRequest { Id = ChunkId }, options);
            Document = await backends.Retrieval.GetDocumentAsync(new GetDocumentRequest { Id = chunk.DocumentId, IncludeChunks = true }, options);
            return Page();
        }
        catch (RpcException e) when (e.StatusCode is GrpcStatus.NotFound or GrpcStatus.InvalidArgument or GrpcStatus.PermissionDenied)
        {
            return NotFound(); // not there, or not readable by this person: the same answer either way
        }
        catch (RpcException e)
        {
            Error = BackendErrors.ForLearner(e, "The document store", logger);
            return Page();
        }
    }

    /// <summary>The chunks in document order; a chunk's heading is shown once, where its section starts.</summary>
    public IEnumerable<(Chunk Chunk, string? Heading, string Html)> Sections()
    {
        string? previous = null;
        foreach (var chunk in Document!.Chunks.OrderBy(c => c.Ordinal))
        {
            var heading = chunk.HeadingPath.Count > 0 ? string.Join(" › ", chunk.HeadingPath.Select(DisplayText.Decoded)) : null;
            var html = ChatHtml.Markdown(chunk.Text);
            yield return (chunk, heading == previous || StartsWithHeading(chunk.Text) ? null : heading, html);
            previous = heading;
        }
    }

    private static bool StartsWithHeading(string text) => text.TrimStart().StartsWith('#');
}
