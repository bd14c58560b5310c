using Genie.Retrieval.Embeddings;

namespace Genie.Retrieval.Tests.Embeddings;

public class HashingEmbeddingGeneratorTests
{
    private static float Cosine(float[] a, float[] b) => a.Zip(b).Sum(p => p.First * p.Second);

    [Fact]
    public async Task Vectors_are_deterministic_normalised_and_of_the_requested_dimension()
    {
        using var embedder = new HashingEmbeddingGenerator(256);
        var first = await embedder.GenerateAsync(["How do I book travel?", "How do I book travel?"]);

        Assert.Equal(256, first[0].Vector.Length);
        Assert.Equal(first[0].Vector.ToArray(), first[1].Vector.ToArray());
        Assert.Equal(first[0].Vector.ToArray(), new HashingEmbeddingGenerator(256).Embed("How do I book travel?"));
        Assert.Equal(1.0, Math.Sqrt(first[0].Vector.ToArray().Sum(v => v * v)), 4);
    }

    [Fact]
    public void Related_texts_are_closer_than_unrelated_ones()
    {
        var embedder = new HashingEmbeddingGenerator();
        var question = embedder.Embed("onboarding classes for new employees");
        var related = embedder.Embed("Our onboarding program offers classes to help a new employee.");
        var unrelated = embedder.Embed("Per diem rates for hotel lodging when travelling abroad.");

        Assert.True(Cosine(question, related) > Cosine(question, unrelated) + 0.1);
        // Character n-grams let inflections meet.
        Assert.True(Cosine(embedder.Embed("reimbursing"), embedder.Embed("reimbursement")) > 0.3);
    }

    [Fact]
    public void Stop_words_do_not_make_texts_similar()
    {
        var embedder = new HashingEmbeddingGenerator();
        var a = embedder.Embed("what is the policy for the laptop");
        var b = embedder.Embed("what is the way to the station");
        var c = embedder.Embed("laptop policy");
        Assert.True(Cosine(a, c) > Cosine(a, b));
    }
}
