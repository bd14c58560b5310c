using Genie.Retrieval.Embeddings;
using Microsoft.Extensions.Configuration;

namespace Genie.Retrieval.Tests.Embeddings;

public sealed class EmbedderOptionsTests
{
    private static EmbedderOptions From(Dictionary<string, string?> settings) =>
        EmbedderOptions.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

    [Fact]
    public void The_apphost_ollama_is_the_default_endpoint_and_model()
    {
        var options = From(new() { ["Genie:Ollama:Url"] = "http://127.0.0.1:9999", ["Genie:Ollama:EmbeddingModel"] = "mxbai-embed-large" });
        Assert.Equal("http://127.0.0.1:9999/", options.OllamaUrl);
        Assert.Equal("mxbai-embed-large", options.OllamaModel);
    }

    [Fact]
    public void Retrieval_settings_override_the_shared_ones()
    {
        var options = From(new()
        {
            ["Genie:Ollama:Url"] = "http://127.0.0.1:9999",
            ["Genie:Retrieval:Embedder:OllamaUrl"] = "http://10.0.0.5:11434/",
            ["Genie:Retrieval:Embedder:OllamaModel"] = "all-minilm",
        });
        Assert.Equal("http://10.0.0.5:11434/", options.OllamaUrl);
        Assert.Equal("all-minilm", options.OllamaModel);
    }
}
