using Genie.Contracts.Retrieval.V1;
using Genie.Retrieval.Embeddings;
using Genie.ServiceDefaults.Limits;
using Genie.ServiceDefaults.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.RateLimiting;

namespace Genie.Retrieval.Api;

public sealed partial class RetrievalHandler
{
    public const int MaxScoredSentences = 128;
    public const int MaxSentenceLength = 2000;

    [EnableRateLimiting(GenieLimits.Policy)]
    public override async Task<ScoreSentencesResponse> ScoreSentences(ScoreSentencesRequest request, ServerCallContext context)
    {
        var query = Validate.Required("query", request.Query, 2000);
        Validate.Texts("sentences", request.Sentences, MaxScoredSentences, MaxSentenceLength);
        var embedder = await EmbedderOfAsync(request.KnowledgeBaseId, context);
        try
        {
            var scores = await new SentenceScorer(embedders).ScoreAsync(embedder, query, request.Sentences, context.CancellationToken);
            return new ScoreSentencesResponse
            {
                Scores = { scores },
                Embedder = new EmbedderSpec { Provider = embedder.Provider, Model = embedder.Model, Dimension = embedder.Dimension },
            };
        }
        catch (EmbeddingProviderException e)
        {
            throw RpcErrors.Of(StatusCode.Unavailable, $"embedder: {e.Message}");
        }
    }
}
