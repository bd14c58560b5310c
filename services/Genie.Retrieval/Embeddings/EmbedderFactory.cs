using Microsoft.Extensions.AI;

namespace Genie.Retrieval.Embeddings;

/// <summary>What a knowledge base was indexed with; the same spec always yields the same vectors' space.</summary>
public sealed record EmbedderChoice(string Provider, string Model, int Dimension);

/// <summary>Builds the embedder a knowledge base records, and resolves defaults (probing the dimension) for new ones.</summary>
public sealed class EmbedderFactory(EmbedderOptions options, IHttpClientFactory httpClients)
{
    public static readonly IReadOnlyList<string> Providers = [SentenceModelEmbeddingGenerator.ProviderName, HashingEmbeddingGenerator.ProviderName, OllamaEmbeddingGenerator.ProviderName, OpenAiEmbeddingGenerator.ProviderName];

    public EmbedderOptions Options => options;

    /// <summary>The embedder for documents of a knowledge base indexed with <paramref name="choice"/>.</summary>
    public IEmbeddingGenerator<string, Embedding<float>> Create(EmbedderChoice choice) => Create(choice, queries: false);

    /// <summary>The embedder for questions asked of it (some models embed queries with an instruction).</summary>
    public IEmbeddingGenerator<string, Embedding<float>> CreateForQueries(EmbedderChoice choice) => Create(choice, queries: true);

    private IEmbeddingGenerator<string, Embedding<float>> Create(EmbedderChoice choice, bool queries) => choice.Provider switch
    {
        SentenceModelEmbeddingGenerator.ProviderName => new SentenceModelEmbeddingGenerator(SentenceModel.Get(choice.Model), queries),
        HashingEmbeddingGenerator.ProviderName => new HashingEmbeddingGenerator(choice.Dimension),
        OllamaEmbeddingGenerator.ProviderName => new OllamaEmbeddingGenerator(
            httpClients.CreateClient("ollama"), WithSlash(options.OllamaUrl), choice.Model, NullIfZero(choice.Dimension)),
        OpenAiEmbeddingGenerator.ProviderName => new OpenAiEmbeddingGenerator(
            WithSlash(options.OpenAiUrl), options.OpenAiApiKey ?? "", choice.Model, NullIfZero(choice.Dimension)),
        _ => throw new ArgumentException($"unknown embedder provider '{choice.Provider}'"),
    };

    /// <summary>
    /// Fills in provider, model and dimension for a new knowledge base. Model embedders are probed
    /// once: the dimension is whatever they really return.
    /// </summary>
    public async Task<EmbedderChoice> ResolveAsync(string? provider, string? model, int dimension, CancellationToken cancellationToken)
    {
        provider = string.IsNullOrWhiteSpace(provider) ? await DefaultProviderAsync(cancellationToken) : provider.Trim().ToLowerInvariant();
        switch (provider)
        {
            case SentenceModelEmbeddingGenerator.ProviderName:
                var builtinModel = string.IsNullOrWhiteSpace(model)
                    ? (options.Provider == provider && !string.IsNullOrWhiteSpace(options.Model) ? options.Model! : SentenceModelEmbeddingGenerator.DefaultModel)
                    : model.Trim().ToLowerInvariant();
                if (!SentenceModel.Models.Contains(builtinModel))
                    throw new ArgumentException($"unknown built-in model '{builtinModel}'; use one of {string.Join(", ", SentenceModel.Models)}");
                return new EmbedderChoice(provider, builtinModel, SentenceModel.Dimension);
            case HashingEmbeddingGenerator.ProviderName:
                return new EmbedderChoice(provider, HashingEmbeddingGenerator.ModelName,
                    dimension > 0 ? dimension : options.Dimension > 0 && options.Provider == provider ? options.Dimension : HashingEmbeddingGenerator.DefaultDimension);
            case OllamaEmbeddingGenerator.ProviderName or OpenAiEmbeddingGenerator.ProviderName:
                var resolvedModel = string.IsNullOrWhiteSpace(model)
                    ? (options.Provider == provider && !string.IsNullOrWhiteSpace(options.Model) ? options.Model!
                        : provider == OllamaEmbeddingGenerator.ProviderName ? options.OllamaModel : options.OpenAiModel)
                    : model.Trim();
                using (var generator = Create(new EmbedderChoice(provider, resolvedModel, dimension)))
                {
                    var probe = await generator.GenerateAsync(["dimension probe"], cancellationToken: cancellationToken);
                    return new EmbedderChoice(provider, resolvedModel, probe[0].Vector.Length);
                }
            default:
                throw new ArgumentException($"unknown embedder provider '{provider}'; use one of {string.Join(", ", Providers)}");
        }
    }

    private async Task<string> DefaultProviderAsync(CancellationToken cancellationToken)
    {
        var configured = options.Provider.Trim().ToLowerInvariant();
        if (configured != "auto")
            return configured;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(1));
            using var response = await httpClients.CreateClient("ollama").GetAsync(new Uri(WithSlash(options.OllamaUrl), "api/tags"), timeout.Token);
            return response.IsSuccessStatusCode ? OllamaEmbeddingGenerator.ProviderName : SentenceModelEmbeddingGenerator.ProviderName;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return SentenceModelEmbeddingGenerator.ProviderName;
        }
    }

    private static Uri WithSlash(string url) => new(url.EndsWith('/') ? url : url + "/");

    private static int? NullIfZero(int value) => value > 0 ? value : null;
}
