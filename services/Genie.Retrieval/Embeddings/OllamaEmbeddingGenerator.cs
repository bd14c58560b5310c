using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;

namespace Genie.Retrieval.Embeddings;

/// <summary>Ollama's <c>POST /api/embed</c>: a batch of inputs in, <c>embeddings</c> (array of arrays) out.</summary>
public sealed class OllamaEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string ProviderName = "ollama";
    private const int BatchSize = 64;

    private readonly HttpClient _http;
    private readonly string _model;
    private readonly int? _dimensions;
    private readonly EmbeddingGeneratorMetadata _metadata;

    public OllamaEmbeddingGenerator(HttpClient http, Uri endpoint, string model, int? dimensions = null)
    {
        _http = http;
        _model = model;
        _dimensions = dimensions is > 0 ? dimensions : null;
        Endpoint = new Uri(endpoint, "api/embed");
        _metadata = new EmbeddingGeneratorMetadata(ProviderName, endpoint, model, _dimensions);
    }

    public Uri Endpoint { get; }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var batch in values.Chunk(BatchSize))
        {
            var request = new EmbedRequest(options?.ModelId ?? _model, batch, options?.Dimensions ?? _dimensions);
            using var response = await _http.PostAsJsonAsync(Endpoint, request, JsonOptions, cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw new EmbeddingProviderException($"Ollama {Endpoint} answered {(int)response.StatusCode}: {await ErrorText(response, cancellationToken)}");
            var body = await response.Content.ReadFromJsonAsync<EmbedResponse>(JsonOptions, cancellationToken)
                ?? throw new EmbeddingProviderException($"Ollama {Endpoint} returned an empty body");
            if (body.Embeddings is null || body.Embeddings.Count != batch.Length)
                throw new EmbeddingProviderException($"Ollama {Endpoint} returned {body.Embeddings?.Count ?? 0} embeddings for {batch.Length} inputs");
            foreach (var vector in body.Embeddings)
                result.Add(new Embedding<float>(vector) { ModelId = body.Model ?? _model, CreatedAt = DateTimeOffset.UtcNow });
            if (body.PromptEvalCount is { } tokens)
                (result.Usage ??= new UsageDetails()).InputTokenCount = (result.Usage.InputTokenCount ?? 0) + tokens;
        }
        return result;
    }

    private static async Task<string> ErrorText(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.TryGetProperty("error", out var error))
                return error.GetString() ?? text;
        }
        catch (JsonException)
        {
        }
        return text.Length > 300 ? text[..300] : text;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(_metadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private sealed record EmbedRequest(
        [property: JsonPropertyName("model")] string Model,
        [property: JsonPropertyName("input")] string[] Input,
        [property: JsonPropertyName("dimensions")] int? Dimensions);

    private sealed record EmbedResponse(
        [property: JsonPropertyName("model")] string? Model,
        [property: JsonPropertyName("embeddings")] List<float[]>? Embeddings,
        [property: JsonPropertyName("prompt_eval_count")] long? PromptEvalCount);
}

/// <summary>An embedding provider failed or answered something unusable.</summary>
public sealed class EmbeddingProviderException(string message, Exception? inner = null) : Exception(message, inner);
