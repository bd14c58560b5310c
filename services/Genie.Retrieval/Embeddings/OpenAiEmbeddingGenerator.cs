using System.ClientModel;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Embeddings;
using MeaiOptions = Microsoft.Extensions.AI.EmbeddingGenerationOptions;
using OpenAiOptions = OpenAI.Embeddings.EmbeddingGenerationOptions;

namespace Genie.Retrieval.Embeddings;

/// <summary>Any OpenAI-compatible <c>/embeddings</c> endpoint through the official OpenAI SDK.</summary>
public sealed class OpenAiEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string ProviderName = "openai";
    private const int BatchSize = 128;

    private readonly EmbeddingClient _client;
    private readonly string _model;
    private readonly int? _dimensions;
    private readonly EmbeddingGeneratorMetadata _metadata;

    public OpenAiEmbeddingGenerator(Uri endpoint, string apiKey, string model, int? dimensions = null)
    {
        _model = model;
        _dimensions = dimensions is > 0 ? dimensions : null;
        _client = new EmbeddingClient(model, new ApiKeyCredential(string.IsNullOrEmpty(apiKey) ? "unused" : apiKey),
            new OpenAIClientOptions { Endpoint = endpoint });
        _metadata = new EmbeddingGeneratorMetadata(ProviderName, endpoint, model, _dimensions);
    }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, MeaiOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var batch in values.Chunk(BatchSize))
        {
            ClientResult<OpenAIEmbeddingCollection> response;
            try
            {
                response = await _client.GenerateEmbeddingsAsync(batch,
                    new OpenAiOptions { Dimensions = options?.Dimensions ?? _dimensions }, cancellationToken);
            }
            catch (ClientResultException e)
            {
                throw new EmbeddingProviderException($"OpenAI-compatible embeddings failed ({e.Status}): {e.Message}", e);
            }
            foreach (var item in response.Value.OrderBy(e => e.Index))
                result.Add(new Embedding<float>(item.ToFloats()) { ModelId = response.Value.Model ?? _model, CreatedAt = DateTimeOffset.UtcNow });
        }
        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(_metadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }
}
