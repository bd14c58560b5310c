using System.ComponentModel;
using System.Security.Claims;
using System.Text;
using Genie.Contracts.Agent.V1;
using Genie.Contracts.Lms.V1;
using Genie.Contracts.Retrieval.V1;
using Genie.ServiceDefaults.Auth;
using Grpc.Core;
using Genie.Web.Backends;
using Genie.Web.Identity;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace Genie.Web.Mcp;

/// <summary>
/// The tools Genie offers coding assistants. Each runs as the personal access token's owner: Web signs that
/// user's short-lived JWT for every backend call, so a tool answers with exactly what the user may read.
/// </summary>
[McpServerToolType]
public sealed class GenieTools(BackendClients backends, UserCalls calls, IHttpContextAccessor http)
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromMinutes(5);

    private ClaimsPrincipal User => http.HttpContext?.User ?? throw new McpException("The request has no authenticated user.");

    [McpServerTool(Name = "search_docs", Title = "Search the internal documentation", ReadOnly = true, OpenWorld = false)]
    [Description("""
        Searches the company's internal documentation (handbooks, engineering guides, runbooks) that the user may read,
        with hybrid keyword + semantic search. Returns numbered passages, each with its document title, heading path,
        URL, document id and the passage text. Use it to find facts before answering questions about internal
        systems, processes or conventions; pass a document id to get_document to read the whole page.
        """)]
    public async Task<string> SearchDocs(
        [Description("What to look for, in natural language or keywords, e.g. 'how do I get a building badge'.")] string query,
        [Description("Optional: only search this knowledge base, by name (as shown by Genie) or id.")] string? knowledgeBase = null,
        [Description("How many passages to return, 1 to 20. Default 5.")] int limit = 5,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(query))
            throw new McpException("query: is required");
        if (limit is < 1 or > 20)
            throw new McpException("limit: must be between 1 and 20");
        return await Call(async options =>
        {
            var request = new SearchRequest { Query = query.Trim(), TopK = limit };
            if (!string.IsNullOrWhiteSpace(knowledgeBase))
                request.KnowledgeBaseIds.Add(await KnowledgeBaseIdAsync(knowledgeBase, options));
            var response = await backends.Retrieval.SearchAsync(request, options);
            if (response.Hits.Count == 0)
                return "No passage in the documentation you may read matches that search.";
            var text = new StringBuilder();
            var n = 0;
            foreach (var hit in response.Hits)
            {
                text.Append('[').Append(++n).Append("] ").Append(hit.DocumentTitle);
                if (hit.HeadingPath.Count > 0)
                    text.Append(" — ").AppendJoin(" > ", hit.HeadingPath);
                text.AppendLine();
                text.Append("URL: ").AppendLine(hit.Uri);
                text.Append("Document id: ").AppendLine(hit.DocumentId);
                text.AppendLine(hit.Text.Trim()).AppendLine();
            }
            return text.ToString().TrimEnd();
        }, cancellationToken);
    }

    [McpServerTool(Name = "ask_genie", Title = "Ask Genie, the onboarding mentor", ReadOnly = false, OpenWorld = false)]
    [Description("""
        Asks Genie's Onboarding Bot a question about the company's internal documentation. Genie searches what the user
        may read and answers in prose with [n] markers, followed by the numbered sources (title, heading path, URL)
        each marker cites. The exchange is saved in the user's Genie conversations; pass the returned conversation id
        to ask a follow-up in the same conversation. Prefer search_docs when you only need raw passages.
        """)]
    public async Task<string> AskGenie(
        [Description("The question, as the user would ask it, e.g. 'Where do I collect my building badge?'.")] string question,
        [Description("Optional: a conversation id returned by an earlier ask_genie call, for a follow-up question.")] string? conversationId = null,
        [Description("Optional: only use this knowledge base, by name (as shown by Genie) or id.")] string? knowledgeBase = null,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(question))
            throw new McpException("question: is required");
        return await Call(async options =>
        {
            var request = new ChatRequest { Message = question.Trim(), ConversationId = conversationId?.Trim() ?? "" };
            if (!string.IsNullOrWhiteSpace(knowledgeBase))
                request.KnowledgeBaseIds.Add(await KnowledgeBaseIdAsync(knowledgeBase, options));
            var answer = new StringBuilder();
            var citations = new List<Citation>();
            var conversation = "";
            await foreach (var e in backends.Agent.Chat(request, calls.For(User, cancellationToken, AnswerTimeout)).ResponseStream.ReadAllAsync(cancellationToken))
            {
                switch (e.EventCase)
                {
                    case ChatEvent.EventOneofCase.Started: conversation = e.Started.ConversationId; break;
                    case ChatEvent.EventOneofCase.Delta: answer.Append(e.Delta.Text); break;
                    case ChatEvent.EventOneofCase.Fallback: answer.Clear(); break;
                    case ChatEvent.EventOneofCase.Citations: citations.AddRange(e.Citations.Items); break;
                }
            }
            var text = new StringBuilder(answer.ToString().Trim()).AppendLine().AppendLine();
            if (citations.Count > 0)
            {
                text.AppendLine("Sources:");
                foreach (var c in citations)
                {
                    text.Append('[').Append(c.Marker).Append("] ").Append(c.DocumentTitle);
                    if (c.HeadingPath.Length > 0)
                        text.Append(" — ").Append(c.HeadingPath);
                    text.Append(" (").Append(c.Uri).AppendLine(")");
                }
                text.AppendLine();
            }
            text.Append("Conversation id: ").Append(conversation);
            return text.ToString();
        }, cancellationToken);
    }

    [McpServerTool(Name = "get_document", Title = "Read a whole documentation page", ReadOnly = true, OpenWorld = false)]
    [Description("""
        Returns the full text of one document from the internal documentation, section by section with its headings,
        plus its title, URL and knowledge base. Use the document id that search_docs returns. Fails when the user may
        not read the document.
        """)]
    public async Task<string> GetDocument(
        [Description("The document id, as returned by search_docs.")] string documentId,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(documentId))
            throw new McpException("documentId: is required");
        return await Call(async options =>
        {
            var document = await backends.Retrieval.GetDocumentAsync(new GetDocumentRequest { Id = documentId.Trim(), IncludeChunks = true }, options);
            var text = new StringBuilder();
            text.Append("# ").AppendLine(document.Title);
            text.Append("URL: ").AppendLine(document.Uri);
            text.Append("Knowledge base id: ").AppendLine(document.KnowledgeBaseId).AppendLine();
            var lastHeading = "";
            foreach (var chunk in document.Chunks.OrderBy(c => c.Ordinal))
            {
                var heading = string.Join(" > ", chunk.HeadingPath);
                if (heading.Length > 0 && heading != lastHeading)
                    text.Append("## ").AppendLine(heading);
                lastHeading = heading;
                text.AppendLine(chunk.Text.Trim()).AppendLine();
            }
            return text.ToString().TrimEnd();
        }, cancellationToken);
    }

    [McpServerTool(Name = "my_learning_progress", Title = "My learning progress", ReadOnly = true, OpenWorld = false)]
    [Description("""
        For learners: the user's assigned TalentLMS courses with completion percent, status, due date and the next unit
        to study (with its link), and the overall completion. Use it when the user asks what to learn next or how far
        along their onboarding courses are.
        """)]
    public async Task<string> MyLearningProgress(CancellationToken cancellationToken = default)
    {
        if (User.Role() != Roles.Learner)
            throw new McpException("my_learning_progress is for learners; this token belongs to an " + User.Role() + ".");
        return await Call(async options =>
        {
            var progress = await backends.Lms.GetMyProgressAsync(new GetMyProgressRequest(), options);
            if (!progress.Matched)
                return "No TalentLMS account matches " + progress.Email + " yet, so no courses are assigned.";
            var text = new StringBuilder();
            text.Append("Overall completion: ").Append(progress.OverallCompletionPercent).AppendLine("%");
            foreach (var course in progress.Courses)
            {
                text.Append("- ").Append(course.CourseName).Append(": ").Append(course.CompletionPercent).Append("% (").Append(course.StatusText).Append(')');
                if (course.DueAt is not null)
                    text.Append(", due ").Append(course.DueAt.ToDateTime().ToString("yyyy-MM-dd"));
                text.AppendLine();
                if (course.NextUnit is { } next)
                    text.Append("  Next: ").Append(next.Name).Append(" (").Append(next.Url).AppendLine(")");
            }
            if (progress.DataAsOf is not null)
                text.Append("Data as of ").Append(progress.DataAsOf.ToDateTime().ToString("yyyy-MM-dd HH:mm")).Append(" UTC");
            return text.ToString().TrimEnd();
        }, cancellationToken);
    }

    private async Task<string> KnowledgeBaseIdAsync(string nameOrId, CallOptions options)
    {
        var all = await backends.Retrieval.ListKnowledgeBasesAsync(new ListKnowledgeBasesRequest(), options);
        return all.Find(nameOrId)?.Id ?? throw new McpException($"knowledgeBase: you have no knowledge base named '{nameOrId.Trim()}'; readable ones: "
            + (all.KnowledgeBases.Count == 0 ? "none" : string.Join(", ", all.KnowledgeBases.Select(k => k.Name))));
    }

    // A backend's refusal becomes a tool error the assistant can read; the detail is already plain words.
    private async Task<string> Call(Func<CallOptions, Task<string>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(calls.For(User, cancellationToken));
        }
        catch (RpcException e)
        {
            throw new McpException(e.StatusCode switch
            {
                StatusCode.NotFound => "Not found: " + e.Status.Detail,
                StatusCode.PermissionDenied => "You may not read that: " + e.Status.Detail,
                StatusCode.Unavailable => "Genie's backend is unavailable right now: " + e.Status.Detail,
                _ => e.Status.Detail,
            });
        }
    }
}
