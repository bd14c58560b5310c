using System.ClientModel;
using System.ClientModel.Primitives;
using Genie.ServiceDefaults.Http;
using Microsoft.Extensions.AI;
using OllamaSharp;
using OpenAI;

namespace Genie.Retrieval.Embeddings;

/// <summary>What a knowledge base was indexed with; the same spec always yields the same vectors' space.</summary>
public sealed record EmbedderChoice(string Provider, string Model, int Dimension);

/// <summary>
/// Builds the embedder a knowledge base records, and resolves defaults (probing the dimension) for new ones. Model
/// embedders are OllamaSharp's <see cref="OllamaApiClient"/> (<c>POST /api/embed</c>) and Microsoft.Extensions.AI.OpenAI's
/// generator for any OpenAI-compatible <c>/embeddings</c>, on the resilient HttpClients of <see cref="ExternalHttpClients"/>.
/// </summary>
public sealed class EmbedderFactory(EmbedderOptions options, IHttpClientFactory httpClients)
{
    public const string OllamaProvider = "ollama";
    public const string OpenAiProvider = "openai";
    private const string OllamaProbeClient = "ollama-probe";

    public static readonly IReadOnlyList<string> Providers = [SentenceModelEmbeddingGenerator.ProviderName, HashingEmbeddingGenerator.ProviderName, OllamaProvider, OpenAiProvider];

    public EmbedderOptions Options => options;

    /// <summary>The embedder for documents of a knowledge base indexed with <paramref name="choice"/>.</summary>
    public IEmbeddingGenerator<string, Embedding<float>> Create(EmbedderChoice choice) => Create(choice, queries: false);

    /// <summary>The embedder for questions asked of it (some models embed queries with an instruction).</summary>
    public IEmbeddingGenerator<string, Embedding<float>> CreateForQueries(EmbedderChoice choice) => Create(choice, queries: true);

    private IEmbeddingGenerator<string, Embedding<float>> Create(EmbedderChoice choice, bool queries) => choice.Provider switch
    {
        SentenceModelEmbeddingGenerator.ProviderName => new SentenceModelEmbeddingGenerator(SentenceModel.Get(choice.Model), queries),
        HashingEmbeddingGenerator.ProviderName => new HashingEmbeddingGenerator(choice.Dimension),
        OllamaProvider => Compose(new OllamaApiClient(OllamaHttp(), choice.Model), choice),
        OpenAiProvider => Compose(OpenAi().GetEmbeddingClient(choice.Model).AsIEmbeddingGenerator(NullIfZero(choice.Dimension)), choice),
        _ => throw new ArgumentException($"unknown embedder provider '{choice.Provider}'"),
    };

    /// <summary>A knowledge base's dimension is asked for on every call (models that can shorten their vectors do).</summary>
    private static IEmbeddingGenerator<string, Embedding<float>> Compose(IEmbeddingGenerator<string, Embedding<float>> client, EmbedderChoice choice)
    {
        var builder = new ProviderErrors(client, choice.Provider).AsBuilder();
        if (choice.Dimension > 0)
            builder.ConfigureOptions(o => o.Dimensions ??= choice.Dimension);
        return builder.UseOpenTelemetry().Build();
    }

    private HttpClient OllamaHttp()
    {
        var http = httpClients.CreateClient(ExternalHttpClients.Ollama);
        http.BaseAddress = WithSlash(options.OllamaUrl);
        return http;
    }

    private OpenAIClient OpenAi() => new(
        new ApiKeyCredential(string.IsNullOrEmpty(options.OpenAiApiKey) ? "unused" : options.OpenAiApiKey),
        new OpenAIClientOptions
        {
            Endpoint = WithSlash(options.OpenAiUrl),
            Transport = new HttpClientPipelineTransport(httpClients.CreateClient(ExternalHttpClients.OpenAi)),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0), // the HttpClient's resilience handler retries
        });

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
            case OllamaProvider or OpenAiProvider:
                var resolvedModel = string.IsNullOrWhiteSpace(model)
                    ? (options.Provider == provider && !string.IsNullOrWhiteSpace(options.Model) ? options.Model!
                        : provider == OllamaProvider ? options.OllamaModel : options.OpenAiModel)
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
            // "Is one answering now?" must not retry: a plain client (no resilience handler), a short timeout that
            // only a black-holed address waits out (a missing server refuses at once).
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            using var response = await httpClients.CreateClient(OllamaProbeClient).GetAsync(new Uri(WithSlash(options.OllamaUrl), "api/tags"), timeout.Token);
            return response.IsSuccessStatusCode ? OllamaProvider : SentenceModelEmbeddingGenerator.ProviderName;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return SentenceModelEmbeddingGenerator.ProviderName;
        }
    }

    private static Uri WithSlash(string url) => new(url.EndsWith('/') ? url : url + "/");

    private static int? NullIfZero(int value) => value > 0 ? value : null;
}
