using Genie.Contracts.Retrieval.V1;
using Genie.Testing.FakeOllama;
using Genie.Testing.Hosts;

namespace Genie.Retrieval.Tests.Service;

/// <summary>The retrieval service with its embedder pointed at a fake Ollama on loopback.</summary>
public sealed class OllamaServiceFixture : IAsyncLifetime
{
    public FakeOllamaServer Ollama { get; private set; } = null!;

    public RetrievalTestHost Retrieval { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Ollama = await FakeOllamaServer.StartAsync(installed: ["all-minilm"], embeddingDimension: 64);
        Retrieval = await RetrievalTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Genie:Retrieval:Embedder:OllamaUrl"] = Ollama.Address.ToString(),
            ["Genie:Retrieval:Embedder:OllamaModel"] = "all-minilm",
        });
    }

    public async Task DisposeAsync()
    {
        await Retrieval.DisposeAsync();
        await Ollama.DisposeAsync();
    }
}

public class OllamaEmbedderServiceTests(OllamaServiceFixture fixture) : IClassFixture<OllamaServiceFixture>
{
    private RetrievalTestHost Service => fixture.Retrieval;

    [Fact]
    public async Task A_knowledge_base_indexed_with_ollama_records_its_model_and_searches_with_it()
    {
        var kb = await Service.Client.CreateKnowledgeBaseAsync(new CreateKnowledgeBaseRequest
        {
            Name = "ollama-kb", Embedder = new EmbedderSpec { Provider = "ollama" },
        }, Service.Admin);
        Assert.Equal(new EmbedderSpec { Provider = "ollama", Model = "all-minilm", Dimension = 64 }, kb.Embedder);

        var source = await Service.AddUploadSourceAsync(kb);
        var upload = await Service.UploadAsync(source, "doc.md", "# Doc\n\nExact sentence for the fake model.");
        Assert.Equal(1, upload.Document.ChunkCount);
        var requestsAfterIndexing = fixture.Ollama.EmbedRequests.Count;

        // The query is embedded by the same model, once: the request carries the (normalised) query text.
        var document = await Service.Client.GetDocumentAsync(new GetDocumentRequest { Id = upload.Document.Id, IncludeChunks = true }, Service.Admin);
        var hits = await Service.Client.SearchAsync(new SearchRequest { Query = "Exact   sentence\nfor the fake model", KnowledgeBaseIds = { kb.Id }, Mode = "vector" }, Service.Admin);
        Assert.Equal(document.Chunks[0].Id, hits.Hits[0].ChunkId);
        Assert.Equal(requestsAfterIndexing + 1, fixture.Ollama.EmbedRequests.Count);
        Assert.Contains("Exact sentence for the fake model", fixture.Ollama.EmbedRequests[^1].ToJsonString());
        Assert.All(fixture.Ollama.EmbedRequests, r => Assert.Equal("all-minilm", r["model"]!.GetValue<string>()));

        var embed = await Service.Client.EmbedAsync(new EmbedRequest { Texts = { "hello" }, KnowledgeBaseId = kb.Id }, Service.Admin);
        Assert.Equal(FakeOllamaServer.Vector("hello", 64), embed.Embeddings[0].Values);
    }
}
