using Genie.Retrieval.Embeddings;
using Genie.Testing.FakeOllama;

namespace Genie.Retrieval.Tests.Embeddings;

public class OllamaEmbeddingGeneratorTests
{
    [Fact]
    public async Task Embeds_a_batch_through_api_embed()
    {
        await using var ollama = await FakeOllamaServer.StartAsync(installed: ["all-minilm"], embeddingDimension: 384);
        using var http = new HttpClient();
        using var embedder = new OllamaEmbeddingGenerator(http, ollama.Address, "all-minilm");

        var result = await embedder.GenerateAsync(["first text", "second text"]);

        Assert.Equal(2, result.Count);
        Assert.Equal(FakeOllamaServer.Vector("first text", 384), result[0].Vector.ToArray());
        Assert.Equal(FakeOllamaServer.Vector("second text", 384), result[1].Vector.ToArray());
        var request = Assert.Single(ollama.EmbedRequests);
        Assert.Equal("all-minilm", request["model"]!.GetValue<string>());
        Assert.Equal(["first text", "second text"], request["input"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(4, result.Usage?.InputTokenCount);
    }

    [Fact]
    public async Task An_unknown_model_reports_ollamas_error()
    {
        await using var ollama = await FakeOllamaServer.StartAsync(installed: ["all-minilm"]);
        using var http = new HttpClient();
        using var embedder = new OllamaEmbeddingGenerator(http, ollama.Address, "nomic-embed-text");

        var error = await Assert.ThrowsAsync<EmbeddingProviderException>(() => embedder.GenerateAsync(["x"]));
        Assert.Contains("404", error.Message);
        Assert.Contains("model \"nomic-embed-text\" not found", error.Message);
    }

    [Fact]
    public async Task The_factory_probes_the_models_real_dimension()
    {
        await using var ollama = await FakeOllamaServer.StartAsync(installed: ["all-minilm"], embeddingDimension: 96);
        var factory = new EmbedderFactory(new EmbedderOptions { Provider = "auto", OllamaUrl = ollama.Address.ToString(), OllamaModel = "all-minilm" }, new SimpleHttpClientFactory());

        var choice = await factory.ResolveAsync(null, null, 0, default);

        Assert.Equal(new EmbedderChoice("ollama", "all-minilm", 96), choice);
    }

    internal sealed class SimpleHttpClientFactory : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new();
    }
}
