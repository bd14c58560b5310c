using Genie.Contracts.Retrieval.V1;
using Genie.ServiceDefaults.Auth;
using Grpc.Core;

namespace Genie.Retrieval.Api;

public sealed partial class RetrievalHandler
{
    public override async Task<ListDocumentsResponse> ListDocuments(ListDocumentsRequest request, ServerCallContext context)
    {
        var kb = await ReadableAsync("knowledge_base_id", request.KnowledgeBaseId, context);
        Guid? sourceId = string.IsNullOrEmpty(request.SourceId) ? null : Validate.Id("source_id", request.SourceId);
        var limit = request.Limit == 0 ? 100 : Validate.Range("limit", request.Limit, 1, 1000);
        var offset = Validate.Range("offset", request.Offset, 0, int.MaxValue);
        var (list, total) = await documents.ListAsync(kb.Id, sourceId, limit, offset, context.CancellationToken);
        return new ListDocumentsResponse { Documents = { list }, Total = total };
    }

    public override async Task<Document> GetDocument(GetDocumentRequest request, ServerCallContext context)
    {
        var id = Validate.Id("id", request.Id);
        var document = await documents.FindAsync(id, request.IncludeChunks, context.CancellationToken);
        if (document is null || !await CanReadKbAsync(document.KnowledgeBaseId, context))
            throw Validate.NotFound("id", "document", request.Id);
        return document;
    }

    public override async Task<Chunk> GetChunk(GetChunkRequest request, ServerCallContext context)
    {
        var id = Validate.Id("id", request.Id);
        var chunk = await documents.FindChunkAsync(id, context.CancellationToken);
        if (chunk is null || !await CanReadKbAsync(chunk.KnowledgeBaseId, context))
            throw Validate.NotFound("id", "chunk", request.Id);
        return chunk;
    }

    private async Task<bool> CanReadKbAsync(string kbId, ServerCallContext context) =>
        await knowledgeBases.FindAsync(Guid.Parse(kbId), context.CancellationToken) is { } kb && policy.CanRead(context.GetCaller(), kb);
}
