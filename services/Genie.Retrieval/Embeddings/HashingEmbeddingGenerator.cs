using System.Buffers;
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

    /// <summary>
    /// Features are hashed straight from spans of the text (no string per word or n-gram) and summed
    /// per feature in first-seen order, so the result is bit-for-bit that of the original definition:
    /// terms = <see cref="TextFeatures.Terms"/>; per term "w:" term, "p:" previous + " " + term, and
    /// "n:" every 3- and 4-gram of "&lt;term&gt;"; weight per feature log(1 + summed weight).
    /// </summary>
    public float[] Embed(string text)
    {
        using var features = new FeatureTable(Math.Max(32, text.Length / 2));
        var lower = ArrayPool<char>.Shared.Rent(text.Length);
        try
        {
            var length = text.AsSpan().ToLowerInvariant(lower);
            AddFeatures(lower.AsSpan(0, length), features);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(lower);
        }
        return features.ToVector(Dimension);
    }

    private static void AddFeatures(ReadOnlySpan<char> text, FeatureTable features)
    {
        // Stop words are dropped unless the text has nothing else (TextFeatures.Terms).
        var keepStopWords = true;
        var longest = 0;
        foreach (var range in new WordEnumerator(text))
        {
            var word = text[range];
            keepStopWords &= TextFeatures.IsStopWord(word);
            longest = Math.Max(longest, word.Length);
        }

        // "<" + stem + ">" of the current and the previous term; a stem is at most its word + 1 char.
        var size = longest + 3;
        var buffers = size <= 128 ? stackalloc char[size * 2] : new char[size * 2];
        var current = buffers[..size];
        var previous = buffers[size..];
        var previousLength = -1;
        foreach (var range in new WordEnumerator(text))
        {
            var word = text[range];
            if (!keepStopWords && TextFeatures.IsStopWord(word))
                continue;
            var stemLength = TextFeatures.StemInto(word, current[1..]);
            current[0] = '<';
            current[stemLength + 1] = '>';
            var stem = current.Slice(1, stemLength);

            features.Add(Hash('w', stem, default), WordWeight);
            if (previousLength >= 0)
                features.Add(Hash('p', previous.Slice(1, previousLength), stem), PairWeight);
            var padded = current[..(stemLength + 2)];
            for (var n = 3; n <= 4; n++)
                for (var start = 0; start + n <= padded.Length; start++)
                    features.Add(Hash('n', padded.Slice(start, n), default), NgramWeight);

            var swap = previous;
            previous = current;
            current = swap;
            previousLength = stemLength;
        }
    }

    /// <summary>FNV-1a 64 over a kind prefix and one or two parts; stable across processes and runtimes.</summary>
    private static ulong Hash(char kind, ReadOnlySpan<char> first, ReadOnlySpan<char> second)
    {
        const ulong offset = 14695981039346656037UL;
        const ulong prime = 1099511628211UL;
        var hash = offset;
        hash = (hash ^ kind) * prime;
        hash = (hash ^ ':') * prime;
        foreach (var c in first)
            hash = (hash ^ c) * prime;
        if (!second.IsEmpty)
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

    /// <summary>Summed weight per feature hash (open addressing), remembering first-seen order.</summary>
    private sealed class FeatureTable : IDisposable
    {
        private ulong[] _keys;
        private float[] _weights;
        private bool[] _used;
        private int[] _order;
        private int _count;
        private int _mask;

        public FeatureTable(int expected)
        {
            var capacity = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)expected * 2);
            Allocate(capacity);
        }

        [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(_keys), nameof(_weights), nameof(_used), nameof(_order))]
        private void Allocate(int capacity)
        {
            _keys = ArrayPool<ulong>.Shared.Rent(capacity);
            _weights = ArrayPool<float>.Shared.Rent(capacity);
            _used = ArrayPool<bool>.Shared.Rent(capacity);
            _order = ArrayPool<int>.Shared.Rent(capacity);
            Array.Clear(_used, 0, capacity);
            _mask = capacity - 1;
            _count = 0;
        }

        public void Add(ulong key, float weight)
        {
            var slot = (int)(key & (ulong)_mask);
            while (_used[slot])
            {
                if (_keys[slot] == key)
                {
                    _weights[slot] += weight;
                    return;
                }
                slot = (slot + 1) & _mask;
            }
            _used[slot] = true;
            _keys[slot] = key;
            _weights[slot] = weight;
            _order[_count++] = slot;
            if (_count * 2 > _mask + 1)
                Grow();
        }

        private void Grow()
        {
            var (keys, weights, order, count) = (_keys, _weights, _order, _count);
            var used = _used;
            Allocate((_mask + 1) * 2);
            for (var i = 0; i < count; i++)
            {
                var slot = order[i];
                Add(keys[slot], weights[slot]);
            }
            ArrayPool<ulong>.Shared.Return(keys);
            ArrayPool<float>.Shared.Return(weights);
            ArrayPool<bool>.Shared.Return(used);
            ArrayPool<int>.Shared.Return(order);
        }

        public float[] ToVector(int dimension)
        {
            var vector = new float[dimension];
            for (var i = 0; i < _count; i++)
            {
                var slot = _order[i];
                var hash = _keys[slot];
                var index = (int)(hash % (ulong)dimension);
                var sign = (hash >> 63) == 0 ? 1f : -1f;
                vector[index] += sign * MathF.Log(1 + _weights[slot]);
            }
            double sum = 0;
            foreach (var v in vector)
                sum += v * v;
            var norm = MathF.Sqrt((float)sum);
            if (norm > 0)
                for (var i = 0; i < vector.Length; i++)
                    vector[i] /= norm;
            return vector;
        }

        public void Dispose()
        {
            ArrayPool<ulong>.Shared.Return(_keys);
            ArrayPool<float>.Shared.Return(_weights);
            ArrayPool<bool>.Shared.Return(_used);
            ArrayPool<int>.Shared.Return(_order);
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(_metadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }
}
