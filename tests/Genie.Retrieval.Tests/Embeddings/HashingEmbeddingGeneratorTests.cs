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
    public void Hashing_v1_vectors_never_change()
    {
        // Knowledge bases store these vectors and record "hashing-v1": any change to the features,
        // hashing or weighting must come with a new model name, never silently.
        var vector = new HashingEmbeddingGenerator(384).Embed("Reimbursement for taxis and rideshares needs an itemised receipt.");
        Assert.Equal([0f, -0.0756162f, -0.2348854f, 0.0756162f, 0f], vector[..5]);
        Assert.Equal(-0.061782937f, vector[12]);
        Assert.Equal(-0.0756162f, vector[17]);
        Assert.Equal(0.0756162f, vector[22]);
    }

    [Fact]
    public void Long_tokens_and_stop_word_only_texts_are_embedded()
    {
        var embedder = new HashingEmbeddingGenerator();
        var longToken = embedder.Embed(new string('x', 5000) + " ok");
        Assert.Equal(1.0, Math.Sqrt(longToken.Sum(v => v * v)), 4);
        // A text of stop words only keeps them, so it is not the zero vector.
        Assert.Equal(1.0, Math.Sqrt(embedder.Embed("what is it").Sum(v => v * v)), 4);
        Assert.All(embedder.Embed("!!! ???"), v => Assert.Equal(0f, v));
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
