using Genie.Contracts.Retrieval.V1;
using Genie.Testing.FakeOllama;

namespace Genie.Retrieval.Tests.Service;

/// <summary>The retrieval service with its embedder pointed at a fake Ollama on loopback.</summary>
public sealed class OllamaServiceFixture : RetrievalServiceFixture
{
    public FakeOllamaServer Ollama { get; private set; } = null!;

    protected override IDictionary<string, string?> ExtraSettings()
    {
        Ollama = FakeOllamaServer.StartAsync(installed: ["all-minilm"], embeddingDimension: 64).GetAwaiter().GetResult();
        return new Dictionary<string, string?>
        {
            ["Genie:Retrieval:Embedder:OllamaUrl"] = Ollama.Address.ToString(),
            ["Genie:Retrieval:Embedder:OllamaModel"] = "all-minilm",
        };
    }
}

public class OllamaEmbedderServiceTests(OllamaServiceFixture service) : IClassFixture<OllamaServiceFixture>
{
    [Fact]
    public async Task A_knowledge_base_indexed_with_ollama_records_its_model_and_searches_with_it()
    {
        var kb = await service.Client.CreateKnowledgeBaseAsync(new CreateKnowledgeBaseRequest
        {
            Name = "ollama-kb", Embedder = new EmbedderSpec { Provider = "ollama" },
        }, service.Admin);
        Assert.Equal(new EmbedderSpec { Provider = "ollama", Model = "all-minilm", Dimension = 64 }, kb.Embedder);

        var source = await service.AddUploadSourceAsync(kb);
        var upload = await service.UploadAsync(source, "doc.md", "# Doc\n\nExact sentence for the fake model.");
        Assert.Equal(1, upload.Document.ChunkCount);
        var requestsAfterIndexing = service.Ollama.EmbedRequests.Count;

        // The fake's vectors are hash-seeded per input: the chunk's own embedded text is its nearest neighbour.
        var document = await service.Client.GetDocumentAsync(new GetDocumentRequest { Id = upload.Document.Id, IncludeChunks = true }, service.Admin);
        var hits = await service.Client.SearchAsync(new SearchRequest { Query = "Doc\n\n" + document.Chunks[0].Text, KnowledgeBaseIds = { kb.Id }, Mode = "vector" }, service.Admin);
        Assert.Equal(document.Chunks[0].Id, hits.Hits[0].ChunkId);
        Assert.True(hits.Hits[0].VectorScore > 0.999);
        Assert.Equal(requestsAfterIndexing + 1, service.Ollama.EmbedRequests.Count);
        Assert.All(service.Ollama.EmbedRequests, r => Assert.Equal("all-minilm", r["model"]!.GetValue<string>()));

        var embed = await service.Client.EmbedAsync(new EmbedRequest { Texts = { "hello" }, KnowledgeBaseId = kb.Id }, service.Admin);
        Assert.Equal(FakeOllamaServer.Vector("hello", 64), embed.Embeddings[0].Values);
    }
}
