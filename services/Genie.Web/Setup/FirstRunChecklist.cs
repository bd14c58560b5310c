using Dapper;
using Genie.Contracts.Retrieval.V1;
using Grpc.Core;
using Genie.Web.Backends;
using Genie.Web.Bots;
using Npgsql;
using System.Security.Claims;

namespace Genie.Web.Setup;

/// <summary>One step of setting the portal up, with the page that does it.</summary>
public sealed record SetupStep(string Key, string Title, string Hint, string Href, bool Done);

/// <summary>
/// What the first admin does, in order: create a knowledge base → add documents → grant readers →
/// assign bots → invite people. Each step is ticked from the state of the system, not from clicks.
/// </summary>
public sealed class FirstRunChecklist(NpgsqlDataSource db, BotAssignments bots, BackendClients backends, UserCalls calls, ILogger<FirstRunChecklist> logger)
{
    public async Task<IReadOnlyList<SetupStep>> StepsAsync(ClaimsPrincipal admin, CancellationToken ct)
    {
        var knowledgeBases = await KnowledgeBasesAsync(admin, ct);
        var assignments = await bots.ListAsync(ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        var people = await conn.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM portal.users", cancellationToken: ct));

        var first = knowledgeBases.FirstOrDefault();
        var knowledgeBasePage = first is null ? "/Dashboard/Knowledge" : $"/Dashboard/Knowledge/Base/{Uri.EscapeDataString(first.Id)}";
        return
        [
            new("knowledge-base", "Create a knowledge base", "A place for one set of documents, such as the employee handbook.",
                "/Dashboard/Knowledge", knowledgeBases.Count > 0),
            new("documents", "Add documents", "Upload files, or sync a folder or an MCP server.",
                knowledgeBasePage, knowledgeBases.Any(kb => kb.DocumentCount > 0)),
            new("readers", "Grant readers", "Choose the roles or people who may get answers from it.",
                knowledgeBasePage, knowledgeBases.Any(kb => kb.Grants is { } g && (g.Roles.Count > 0 || g.UserIds.Count > 0))),
            new("bots", "Assign bots", "Give people (or whole roles) the Onboarding and Learning bots.",
                "/Dashboard/Bots", assignments.Count > 0),
            new("people", "Invite people", "Add learners and instructors; each gets an invitation e-mail.",
                "/Dashboard/Users/Manage/Create", people > 1),
        ];
    }

    /// <summary>Without Retrieval the knowledge-base steps simply show as not done.</summary>
    private async Task<IReadOnlyList<KnowledgeBase>> KnowledgeBasesAsync(ClaimsPrincipal admin, CancellationToken ct)
    {
        try
        {
            return (await backends.Retrieval.ListKnowledgeBasesAsync(new ListKnowledgeBasesRequest(), calls.For(admin, ct, TimeSpan.FromSeconds(10)))).KnowledgeBases;
        }
        catch (RpcException e)
        {
            logger.LogWarning("Knowledge bases for the setup checklist are not available: {Status} {Detail}", e.StatusCode, e.Status.Detail);
            return [];
        }
    }
}
