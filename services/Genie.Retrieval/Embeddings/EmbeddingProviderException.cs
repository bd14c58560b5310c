using System.ClientModel;
using Microsoft.Extensions.AI;
using OllamaSharp.Models.Exceptions;

namespace Genie.Retrieval.Embeddings;

/// <summary>An embedding provider failed or answered something unusable.</summary>
public sealed class EmbeddingProviderException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The last step of a model embedder's pipeline: whatever the provider's client throws (HTTP errors with the
/// server's own words, OllamaSharp's and the OpenAI SDK's exceptions) becomes an <see cref="EmbeddingProviderException"/>.
/// </summary>
internal sealed class ProviderErrors(IEmbeddingGenerator<string, Embedding<float>> inner, string provider)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GenerateAsync(values, options, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or OllamaException or ClientResultException)
        {
            throw new EmbeddingProviderException($"{provider} embeddings failed: {e.Message.Split('\n')[0]}", e);
        }
    }
}
