using Genie.Retrieval.Embeddings;

namespace Genie.Retrieval.Tests.Embeddings;

public class SentenceModelEmbeddingGeneratorTests
{
    private static float Cosine(ReadOnlyMemory<float> a, ReadOnlyMemory<float> b)
    {
        var x = a.Span;
        var y = b.Span;
        var sum = 0f;
        for (var i = 0; i < x.Length; i++)
            sum += x[i] * y[i];
        return sum;
    }

    [Theory]
    [InlineData(SentenceModel.MiniLm)]
    [InlineData(SentenceModel.ArcticXs)]
    public async Task Related_texts_are_closer_than_unrelated_ones(string model)
    {
        // arctic-embed-xs packs its cosines into a narrow high band (unrelated pairs near 0.65), so the margin is modest.
        var embedder = new SentenceModelEmbeddingGenerator(SentenceModel.Get(model), queries: false);
        var vectors = await embedder.GenerateAsync([
            "How many weeks of paid parental leave do new parents get?",
            "Employees may take up to 12 weeks of paid leave after the birth or adoption of a child.",
            "Quarterly revenue grew by four percent thanks to cloud sales.",
            "The cat sat on the mat.",
            "A kitten is sleeping on the rug.",
        ]);

        Assert.All(vectors, v => Assert.Equal(SentenceModel.Dimension, v.Vector.Length));
        Assert.All(vectors, v => Assert.Equal(1.0, Math.Sqrt(v.Vector.ToArray().Sum(x => x * x)), 3));
        Assert.True(Cosine(vectors[0].Vector, vectors[1].Vector) > Cosine(vectors[0].Vector, vectors[2].Vector) + 0.1,
            $"leave/leave {Cosine(vectors[0].Vector, vectors[1].Vector):F3}, leave/revenue {Cosine(vectors[0].Vector, vectors[2].Vector):F3}");
        Assert.True(Cosine(vectors[3].Vector, vectors[4].Vector) > Cosine(vectors[3].Vector, vectors[2].Vector) + 0.1,
            $"cat/kitten {Cosine(vectors[3].Vector, vectors[4].Vector):F3}, cat/revenue {Cosine(vectors[3].Vector, vectors[2].Vector):F3}");
    }

    [Fact]
    public async Task A_text_gets_the_same_vector_alone_or_batched_with_texts_of_other_lengths()
    {
        // Batches are padded to their longest text: padding must not leak into the pooled vector.
        var embedder = new SentenceModelEmbeddingGenerator(SentenceModel.Get(SentenceModel.MiniLm), queries: false);
        const string text = "Submit travel receipts within five days.";
        var alone = (await embedder.GenerateAsync([text]))[0].Vector.ToArray();
        var batched = await embedder.GenerateAsync([string.Join(' ', Enumerable.Repeat("A much longer paragraph about something else entirely.", 20)), text, "short"]);

        Assert.Equal(3, batched.Count);
        Assert.True(Cosine(alone, batched[1].Vector) > 0.9999, $"cosine {Cosine(alone, batched[1].Vector):F6}");
        Assert.Equal(alone, (await embedder.GenerateAsync([text]))[0].Vector.ToArray());
    }

    [Fact]
    public async Task Texts_past_the_token_limit_are_cut_not_refused()
    {
        var model = SentenceModel.Get(SentenceModel.MiniLm);
        var longText = string.Join(' ', Enumerable.Repeat("parental leave policy", 400));
        Assert.True(model.CountTokens(longText) > model.MaxTokens);

        var vectors = await new SentenceModelEmbeddingGenerator(model, queries: false).GenerateAsync([longText]);
        Assert.Equal(SentenceModel.Dimension, vectors[0].Vector.Length);
    }

    [Fact]
    public async Task Queries_carry_the_models_instruction_and_documents_do_not()
    {
        var model = SentenceModel.Get(SentenceModel.ArcticXs);
        var asQuery = (await new SentenceModelEmbeddingGenerator(model, queries: true).GenerateAsync(["parental leave"]))[0].Vector;
        var asDocument = (await new SentenceModelEmbeddingGenerator(model, queries: false).GenerateAsync(["parental leave"]))[0].Vector;
        var prefixed = (await new SentenceModelEmbeddingGenerator(model, queries: false).GenerateAsync([model.QueryPrefix + "parental leave"]))[0].Vector;

        Assert.NotEmpty(model.QueryPrefix);
        Assert.True(Cosine(asQuery, asDocument) < 0.999);
        Assert.True(Cosine(asQuery, prefixed) > 0.9999);
    }
}
