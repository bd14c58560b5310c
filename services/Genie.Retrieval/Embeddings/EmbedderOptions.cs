using Microsoft.Extensions.Configuration;

namespace Genie.Retrieval.Embeddings;

/// <summary>
/// <c>Genie:Retrieval:Embedder</c>: the default for new knowledge bases and the endpoints of the
/// model providers. Provider "auto" picks ollama when one answers at the configured URL, else builtin.
/// </summary>
public sealed class EmbedderOptions
{
    public string Provider { get; set; } = "auto";
    public string? Model { get; set; }
    public int Dimension { get; set; }
    public string OllamaUrl { get; set; } = "http://localhost:11434/";
    public string OllamaModel { get; set; } = "nomic-embed-text";
    public string OpenAiUrl { get; set; } = "https://api.openai.com/v1/";
    public string OpenAiModel { get; set; } = "text-embedding-3-small";
    public string? OpenAiApiKey { get; set; }

    public static EmbedderOptions FromConfiguration(IConfiguration configuration)
    {
        var options = new EmbedderOptions();
        // The local Ollama the AppHost found is the default; Genie:Retrieval:Embedder overrides it.
        if (configuration["Genie:Ollama:Url"] is { Length: > 0 } ollamaUrl)
            options.OllamaUrl = ollamaUrl.TrimEnd('/') + "/";
        if (configuration["Genie:Ollama:EmbeddingModel"] is { Length: > 0 } embeddingModel)
            options.OllamaModel = embeddingModel;
        configuration.GetSection("Genie:Retrieval:Embedder").Bind(options);
        return options;
    }
}
