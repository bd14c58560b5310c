using Genie.Contracts.Retrieval.V1;
using Genie.Retrieval.Embeddings;
using Genie.Retrieval.Search;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Limits;
using Genie.ServiceDefaults.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.RateLimiting;

namespace Genie.Retrieval.Api;

public sealed partial class RetrievalHandler
{
    public const int MaxTopK = 50;
    public const int DefaultTopK = 8;

    [EnableRateLimiting(GenieLimits.Policy)]
    public override async Task<SearchResponse> Search(SearchRequest request, ServerCallContext context)
    {
        var query = Validate.Required("query", request.Query, 2000);
        if (!query.Any(char.IsLetterOrDigit))
            throw RpcErrors.InvalidArgument("query", "must contain at least one letter or digit");
        var topK = request.TopK == 0 ? DefaultTopK : Validate.Range("top_k", request.TopK, 1, MaxTopK);
        if (double.IsNaN(request.MinScore) || request.MinScore is < 0 or > 1)
            throw RpcErrors.InvalidArgument("min_score", "must be between 0 and 1");
        var mode = request.Mode.Trim().ToLowerInvariant() switch
        {
            "" or "hybrid" => SearchMode.Hybrid,
            "vector" => SearchMode.Vector,
            "text" => SearchMode.Text,
            _ => throw RpcErrors.InvalidArgument("mode", $"'{request.Mode}' is not one of hybrid, vector, text"),
        };

        List<Guid>? requested = null;
        if (request.KnowledgeBaseIds.Count > 0)
        {
            requested = request.KnowledgeBaseIds.Select((id, i) => Validate.Id($"knowledge_base_ids[{i}]", id)).Distinct().ToList();
            var existing = (await knowledgeBases.ExistingAsync(requested, context.CancellationToken)).ToHashSet();
            var missing = requested.FindIndex(id => !existing.Contains(id));
            if (missing >= 0)
                throw Validate.NotFound($"knowledge_base_ids[{missing}]", "knowledge base", requested[missing].ToString());
        }
        // Whatever the request names, only knowledge bases the caller may read are searched.
        var readable = await knowledgeBases.ReadableEmbeddersAsync(context.GetCaller(), requested, context.CancellationToken);
        IReadOnlyList<SearchHitRecord> hits;
        try
        {
            hits = await searcher.SearchAsync(new SearchQuery(query, readable, topK, request.MinScore, mode), context.CancellationToken);
        }
        catch (EmbeddingProviderException e)
        {
            throw RpcErrors.Of(StatusCode.Unavailable, $"embedder: {e.Message}");
        }
        return new SearchResponse
        {
            SearchedKnowledgeBaseIds = { readable.Select(r => r.Id.ToString()) },
            Hits = { hits.Select(h => new SearchHit
            {
                ChunkId = h.ChunkId.ToString(),
                DocumentId = h.DocumentId.ToString(),
                KnowledgeBaseId = h.KnowledgeBaseId.ToString(),
                SourceId = h.SourceId.ToString(),
                SourceName = h.SourceName,
                DocumentTitle = h.DocumentTitle,
                Uri = h.Uri,
                HeadingPath = { h.HeadingPath },
                Text = h.Text,
                Snippet = h.Snippet,
                Score = h.Score,
                VectorScore = h.VectorScore,
                TextScore = h.TextScore,
                VectorRank = h.VectorRank,
                TextRank = h.TextRank,
            }) },
        };
    }

    public override async Task<EmbedResponse> Embed(EmbedRequest request, ServerCallContext context)
    {
        Validate.Texts("texts", request.Texts, 256, 32_000);
        var choice = await EmbedderOfAsync(request.KnowledgeBaseId, context);
        try
        {
            using var embedder = embedders.Create(choice);
            var vectors = await embedder.GenerateAsync(request.Texts, cancellationToken: context.CancellationToken);
            return new EmbedResponse
            {
                Embedder = new EmbedderSpec { Provider = choice.Provider, Model = choice.Model, Dimension = choice.Dimension },
                Embeddings = { vectors.Select(v => new Vector { Values = { v.Vector.ToArray() } }) },
            };
        }
        catch (EmbeddingProviderException e)
        {
            throw RpcErrors.Of(StatusCode.Unavailable, $"embedder: {e.Message}");
        }
    }

    /// <summary>The embedder of a knowledge base the caller may read (NOT_FOUND otherwise), or the service default when none is named.</summary>
    private async Task<EmbedderChoice> EmbedderOfAsync(string knowledgeBaseId, ServerCallContext context) =>
        string.IsNullOrEmpty(knowledgeBaseId)
            ? await DefaultEmbedderAsync(context.CancellationToken)
            : (await ReadableAsync("knowledge_base_id", knowledgeBaseId, context)).Embedder;

    private EmbedderChoice? _defaultEmbedder;

    private async Task<EmbedderChoice> DefaultEmbedderAsync(CancellationToken ct)
    {
        try
        {
            return _defaultEmbedder ??= await embedders.ResolveAsync(null, null, 0, ct);
        }
        catch (Exception e) when (e is EmbeddingProviderException or HttpRequestException)
        {
            throw RpcErrors.Of(StatusCode.Unavailable, $"embedder: the default embedder does not answer: {e.Message}");
        }
    }
}
