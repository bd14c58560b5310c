using Microsoft.Extensions.AI;

namespace Genie.Retrieval.Embeddings;

/// <summary>
/// The built-in embedder: no model, deterministic. Feature hashing of stemmed content words, word
/// pairs and character n-grams (which let "onboard" meet "onboarding" and survive typos) into a
/// signed vector, with sublinear term frequency, L2-normalised so cosine = dot product.
/// </summary>
public sealed class HashingEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string ProviderName = "builtin";
    public const string ModelName = "hashing-v1";
    public const int DefaultDimension = 384;

    private const float WordWeight = 1.0f;
    private const float PairWeight = 0.6f;
    private const float NgramWeight = 0.25f;

    private readonly EmbeddingGeneratorMetadata _metadata;

    public HashingEmbeddingGenerator(int dimension = DefaultDimension)
    {
        if (dimension is < 16 or > 16000)
            throw new ArgumentOutOfRangeException(nameof(dimension), "dimension must be between 16 and 16000");
        Dimension = dimension;
        _metadata = new EmbeddingGeneratorMetadata(ProviderName, null, ModelName, dimension);
    }

    public int Dimension { get; }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            result.Add(new Embedding<float>(Embed(value)) { ModelId = ModelName, CreatedAt = DateTimeOffset.UtcNow });
        }
        return Task.FromResult(result);
    }

    public float[] Embed(string text)
    {
        var counts = new Dictionary<ulong, float>();
        void Add(ulong hash, float weight) => counts[hash] = counts.GetValueOrDefault(hash) + weight;

        var terms = TextFeatures.Terms(text);
        for (var i = 0; i < terms.Count; i++)
        {
            var term = terms[i];
            Add(Hash("w", term, null), WordWeight);
            if (i > 0)
                Add(Hash("p", terms[i - 1], term), PairWeight);
            var padded = $"<{term}>";
            for (var n = 3; n <= 4; n++)
                for (var start = 0; start + n <= padded.Length; start++)
                    Add(Hash("n", padded.AsSpan(start, n), null), NgramWeight);
        }

        var vector = new float[Dimension];
        foreach (var (hash, weight) in counts)
        {
            var index = (int)(hash % (ulong)Dimension);
            var sign = (hash >> 63) == 0 ? 1f : -1f;
            vector[index] += sign * MathF.Log(1 + weight);
        }
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        if (norm > 0)
            for (var i = 0; i < vector.Length; i++)
                vector[i] /= norm;
        return vector;
    }

    /// <summary>FNV-1a 64 over a kind prefix and one or two parts; stable across processes and runtimes.</summary>
    private static ulong Hash(string kind, ReadOnlySpan<char> first, string? second)
    {
        const ulong offset = 14695981039346656037UL;
        const ulong prime = 1099511628211UL;
        var hash = offset;
        foreach (var c in kind)
            hash = (hash ^ c) * prime;
        hash = (hash ^ ':') * prime;
        foreach (var c in first)
            hash = (hash ^ c) * prime;
        if (second is not null)
        {
            hash = (hash ^ ' ') * prime;
            foreach (var c in second)
                hash = (hash ^ c) * prime;
        }
        // FNV's high bits mix poorly; fold them down before taking index and sign.
        hash ^= hash >> 29;
        hash *= 0xbf58476d1ce4e5b9UL;
        hash ^= hash >> 32;
        return hash;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(_metadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }
}
