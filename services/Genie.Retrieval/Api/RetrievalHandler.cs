using Genie.Contracts.Common.V1;
using Genie.Contracts.Retrieval.V1;
using Genie.Retrieval.Documents;
using Genie.Retrieval.Embeddings;
using Genie.Retrieval.Ingestion;
using Genie.Retrieval.KnowledgeBases;
using Genie.Retrieval.Parsing;
using Genie.Retrieval.Reembedding;
using Genie.Retrieval.Search;
using Genie.Retrieval.Sources;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Hosting;
using Genie.ServiceDefaults.Rpc;
using Grpc.Core;
using Npgsql;

namespace Genie.Retrieval.Api;

/// <summary>
/// Serves <c>genie.retrieval.v1.RetrievalService</c>. Split by feature across partial files; every
/// rpc decides access from <c>context.GetCaller()</c> through <see cref="AccessPolicy"/>.
/// </summary>
public sealed partial class RetrievalHandler(
    ServiceInfoProvider serviceInfo,
    NpgsqlDataSource db,
    AccessPolicy policy,
    KnowledgeBaseStore knowledgeBases,
    SourceStore sources,
    DocumentStore documents,
    SourceSecrets secrets,
    SyncRunner syncRunner,
    HybridSearcher searcher,
    EmbedderFactory embedders,
    DocumentParser parser,
    EmbedderSwitches switches,
    EmbedderSwitchRunner switchRunner,
    RetrievalOptions options) : RetrievalService.RetrievalServiceBase
{
    public override Task<ServiceInfo> GetServiceInfo(GetServiceInfoRequest request, ServerCallContext context) =>
        serviceInfo.GetAsync(context.CancellationToken);

    /// <summary>The knowledge base if the caller may read it; NOT_FOUND otherwise (its existence is not revealed).</summary>
    private async Task<KnowledgeBaseRecord> ReadableAsync(string field, string id, ServerCallContext context)
    {
        var kbId = Validate.Id(field, id);
        var kb = await knowledgeBases.FindAsync(kbId, context.CancellationToken);
        if (kb is null || !policy.CanRead(context.GetCaller(), kb))
            throw Validate.NotFound(field, "knowledge base", id);
        return kb;
    }

    /// <summary>The knowledge base if the caller may change it; PERMISSION_DENIED when they may only read it.</summary>
    private async Task<KnowledgeBaseRecord> ManageableAsync(string field, string id, ServerCallContext context)
    {
        var kb = await ReadableAsync(field, id, context);
        if (!policy.CanManage(context.GetCaller(), kb))
            throw RpcErrors.PermissionDenied(Denied(context.GetCaller(), kb));
        return kb;
    }

    private async Task<(SourceRecord Source, KnowledgeBaseRecord Kb)> ManageableSourceAsync(string field, string id, ServerCallContext context)
    {
        var sourceId = Validate.Id(field, id);
        var source = await sources.FindAsync(sourceId, context.CancellationToken);
        var kb = source is null ? null : await knowledgeBases.FindAsync(source.KnowledgeBaseId, context.CancellationToken);
        if (source is null || kb is null || !policy.CanRead(context.GetCaller(), kb))
            throw Validate.NotFound(field, "source", id);
        if (!policy.CanManage(context.GetCaller(), kb))
            throw RpcErrors.PermissionDenied(Denied(context.GetCaller(), kb));
        return (source, kb);
    }

    private string Denied(CallerIdentity caller, KnowledgeBaseRecord kb) => caller.Role switch
    {
        Roles.Instructor => $"instructors manage only the knowledge bases they created; '{kb.Name}' was created by someone else",
        _ => $"the {caller.Role} role may read knowledge base '{kb.Name}' but not change it",
    };
}
