using Genie.Retrieval.Embeddings;
using Genie.ServiceDefaults.Http;
using Genie.Testing.FakeOllama;
using Microsoft.Extensions.DependencyInjection;

namespace Genie.Retrieval.Tests.Embeddings;

/// <summary>The ollama embedder (OllamaSharp on the service's resilient "ollama" HttpClient) against the fake's /api/embed.</summary>
public sealed class OllamaEmbedderTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection()
        .AddOllamaHttpClient(attemptTimeout: TimeSpan.FromSeconds(30), retryPost: true).Services
        .BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    private EmbedderFactory Factory(FakeOllamaServer ollama, string model) => new(
        new EmbedderOptions { Provider = "auto", OllamaUrl = ollama.Address.ToString(), OllamaModel = model },
        _services.GetRequiredService<IHttpClientFactory>());

    [Fact]
    public async Task Embeds_a_batch_through_api_embed()
    {
        await using var ollama = await FakeOllamaServer.StartAsync(installed: ["all-minilm"], embeddingDimension: 384);
        using var embedder = Factory(ollama, "all-minilm").Create(new EmbedderChoice("ollama", "all-minilm", 384));

        var result = await embedder.GenerateAsync(["first text", "second text"]);

        Assert.Equal(2, result.Count);
        Assert.Equal(FakeOllamaServer.Vector("first text", 384), result[0].Vector.ToArray());
        Assert.Equal(FakeOllamaServer.Vector("second text", 384), result[1].Vector.ToArray());
        var request = Assert.Single(ollama.EmbedRequests);
        Assert.Equal("all-minilm", request["model"]!.GetValue<string>());
        Assert.Equal(["first text", "second text"], request["input"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(384, request["dimensions"]!.GetValue<int>());
        Assert.Equal(4, result.Usage?.InputTokenCount);
    }

    [Fact]
    public async Task An_unknown_model_reports_ollamas_error()
    {
        await using var ollama = await FakeOllamaServer.StartAsync(installed: ["all-minilm"]);
        using var embedder = Factory(ollama, "nomic-embed-text").Create(new EmbedderChoice("ollama", "nomic-embed-text", 0));

        var error = await Assert.ThrowsAsync<EmbeddingProviderException>(() => embedder.GenerateAsync(["x"]));
        Assert.Contains("404", error.Message);
        Assert.Contains("model \"nomic-embed-text\" not found", error.Message);
    }

    [Fact]
    public async Task The_factory_probes_the_models_real_dimension()
    {
        await using var ollama = await FakeOllamaServer.StartAsync(installed: ["all-minilm"], embeddingDimension: 96);

        var choice = await Factory(ollama, "all-minilm").ResolveAsync(null, null, 0, default);

        Assert.Equal(new EmbedderChoice("ollama", "all-minilm", 96), choice);
    }
}
