using Microsoft.Extensions.AI;

namespace Genie.Retrieval.Embeddings;

/// <summary>
/// The built-in model embedder (<c>builtin-model</c>): a sentence-embedding model run in-process by
/// ONNX Runtime (<see cref="SentenceModel"/>). Queries and documents may be embedded differently
/// (some models prefix queries with an instruction), so the factory hands out one generator for each.
/// Disposing a generator leaves the shared model loaded.
/// </summary>
public sealed class SentenceModelEmbeddingGenerator(SentenceModel model, bool queries) : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string ProviderName = "builtin-model";
    public const string DefaultModel = SentenceModel.ArcticXs; // chosen by eval on the dev sets (Retrieval README)

    private readonly EmbeddingGeneratorMetadata _metadata = new(ProviderName, null, model.Name, SentenceModel.Dimension);

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var vectors = await model.EmbedAsync(values.ToList(), queries, cancellationToken);
        var created = DateTimeOffset.UtcNow;
        return new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v) { ModelId = model.Name, CreatedAt = created }));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this
        : serviceType == typeof(SentenceModel) ? model
        : null;

    public void Dispose()
    {
    }
}
