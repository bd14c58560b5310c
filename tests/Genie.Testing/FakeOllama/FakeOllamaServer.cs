using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Genie.Testing.FakeOllama;

/// <summary>
/// An Ollama server's HTTP API on loopback, following the documented shapes (shared/reference/ollama.md):
/// <c>GET /</c>, <c>GET /api/version</c>, <c>GET /api/tags</c>, <c>POST /api/pull</c> (NDJSON progress ending in
/// <c>{"status":"success"}</c>, or an <c>{"error"}</c> line for a model the library lacks), <c>POST /api/embed</c>
/// (hash-seeded, L2-normalised vectors) and <c>POST /api/chat</c> (NDJSON chunks a word each, then a
/// <c>done:true</c> chunk with metrics; one JSON object with <c>"stream": false</c>). Errors are
/// <c>{"error": "..."}</c> bodies: 400 for a request without model, 404 for a model that is not installed;
/// a failure mid-stream is an <c>{"error"}</c> line under status 200, as Ollama sends it.
/// </summary>
public sealed class FakeOllamaServer : IAsyncDisposable
{
    /// <summary>Ollama's wording when a model runner dies mid-answer.</summary>
    public const string ModelFailure = "an error was encountered while running the model: unexpected EOF";

    private readonly HashSet<string> _installed;
    private readonly HashSet<string> _library;
    private readonly int _embeddingDimension;
    private readonly ConcurrentQueue<JsonObject> _chatRequests = new();
    private readonly ConcurrentQueue<JsonObject> _embedRequests = new();
    private readonly ConcurrentQueue<string> _pulled = new();
    private TaskCompletionSource _abandoned = NewSignal();
    private LoopbackApp _app = null!;

    private FakeOllamaServer(IEnumerable<string> installed, IEnumerable<string> library, int embeddingDimension)
    {
        _installed = new HashSet<string>(installed.Select(Tagged), StringComparer.OrdinalIgnoreCase);
        _library = new HashSet<string>(library.Select(Tagged), StringComparer.OrdinalIgnoreCase);
        _embeddingDimension = embeddingDimension;
    }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address => new(_app.Address + "/");

    /// <summary>How the model answers a chat request (given the request body as sent).</summary>
    public Func<JsonObject, FakeChatReply> Reply { get; set; } = _ => FakeChatReply.Text("This is what the model has to say about it.");

    /// <summary>Time between two streamed chunks; zero streams at once.</summary>
    public TimeSpan WordDelay { get; set; } = TimeSpan.Zero;

    /// <summary>After this many chunks the stream ends with an <c>{"error"}</c> line (<see cref="ModelFailure"/>).</summary>
    public int? FailAfterChunks { get; set; }

    /// <summary>After this many chunks (0: before any) the model goes quiet, keeping the connection open, until the client hangs up.</summary>
    public int? StallAfterChunks { get; set; }

    /// <summary>
    /// Runs before <c>/api/embed</c> answers an installed model, with the inputs and the request's abort token: a test
    /// holds the model mid-way with it (the client hanging up cancels the token).
    /// </summary>
    public Func<IReadOnlyList<string>, CancellationToken, Task>? BeforeEmbed { get; set; }

    /// <summary>Every well-formed <c>/api/chat</c> request body, in order.</summary>
    public IReadOnlyList<JsonObject> ChatRequests => [.. _chatRequests];

    /// <summary>Every well-formed <c>/api/embed</c> request body, in order.</summary>
    public IReadOnlyList<JsonObject> EmbedRequests => [.. _embedRequests];

    /// <summary>The models asked for on <c>/api/pull</c>, in order.</summary>
    public IReadOnlyList<string> Pulled => [.. _pulled];

    /// <summary>Completes when a client hangs up before its chat answer is done.</summary>
    public Task Abandoned => _abandoned.Task;

    /// <param name="installed">Models <c>/api/tags</c> lists and chat/embed serve (a missing tag means <c>latest</c>).</param>
    /// <param name="library">Models <c>/api/pull</c> can fetch; a pulled model is installed.</param>
    /// <param name="embeddingDimension">The length of every vector <c>/api/embed</c> returns.</param>
    public static async Task<FakeOllamaServer> StartAsync(IEnumerable<string> installed, IEnumerable<string>? library = null, int embeddingDimension = 384)
    {
        var server = new FakeOllamaServer(installed, library ?? [], embeddingDimension);
        server._app = await LoopbackApp.StartAsync(app =>
        {
            app.MapGet("/", () => Results.Text("Ollama is running"));
            app.MapGet("/api/version", () => Results.Json(new { version = "0.6.2" }));
            app.MapGet("/api/tags", server.Tags);
            app.MapPost("/api/pull", server.PullAsync);
            app.MapPost("/api/embed", server.EmbedAsync);
            app.MapPost("/api/chat", server.ChatAsync);
        });
        return server;
    }

    /// <summary>The vector the fake embeds <paramref name="text"/> as: seeded by the text's hash, L2-normalised.</summary>
    public static float[] Vector(string text, int dimension)
    {
        var random = new Random(text.Aggregate(17, (h, c) => unchecked(h * 31 + c)));
        var vector = Enumerable.Range(0, dimension).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        return vector.Select(v => v / norm).ToArray();
    }

    /// <summary>Forgets an earlier hang-up, so <see cref="Abandoned"/> waits for the next one.</summary>
    public void ResetAbandoned() => _abandoned = NewSignal();

    private IResult Tags()
    {
        lock (_installed)
            return Results.Json(new { models = _installed.Order().Select(FakeOllamaPayloads.Tag).ToList() });
    }

    private async Task PullAsync(HttpContext http)
    {
        var body = await ReadBodyAsync(http);
        var model = (string?)body?["model"] ?? (string?)body?["name"];
        if (model is null)
        {
            await ErrorAsync(http, HttpStatusCode.BadRequest, "missing request body");
            return;
        }
        _pulled.Enqueue(model);
        var available = _library.Contains(Tagged(model));
        if (body!["stream"]?.GetValue<bool>() == false)
        {
            if (!available)
            {
                await ErrorAsync(http, HttpStatusCode.InternalServerError, FakeOllamaPayloads.UnknownManifest);
                return;
            }
            Install(model);
            await http.Response.WriteAsJsonAsync(new { status = "success" });
            return;
        }
        http.Response.ContentType = "application/x-ndjson";
        await LineAsync(http, new { status = "pulling manifest" }, default);
        if (!available)
        {
            await LineAsync(http, new { error = FakeOllamaPayloads.UnknownManifest }, default);
            return;
        }
        foreach (var progress in FakeOllamaPayloads.PullProgress())
            await LineAsync(http, progress, default);
        Install(model);
    }

    private async Task EmbedAsync(HttpContext http)
    {
        var body = await ReadBodyAsync(http);
        if (body?["model"] is null)
        {
            await ErrorAsync(http, HttpStatusCode.BadRequest, "missing request body");
            return;
        }
        _embedRequests.Enqueue(body);
        var model = (string)body["model"]!;
        if (!IsInstalled(model))
        {
            await ErrorAsync(http, HttpStatusCode.NotFound, FakeOllamaPayloads.NotFound(model));
            return;
        }
        List<string> inputs = body["input"] switch
        {
            JsonArray array => array.Select(n => (string)n!).ToList(),
            JsonValue single => [(string)single!],
            _ => [],
        };
        if (BeforeEmbed is { } before)
            await before(inputs, http.RequestAborted);
        await http.Response.WriteAsJsonAsync(new
        {
            model,
            embeddings = inputs.Select(i => Vector(i, _embeddingDimension)).ToList(),
            total_duration = 14143917L,
            load_duration = 1019500L,
            prompt_eval_count = inputs.Sum(i => i.Split(' ').Length),
        });
    }

    private async Task ChatAsync(HttpContext http)
    {
        var body = await ReadBodyAsync(http);
        if (body?["model"] is null || body["messages"] is not JsonArray)
        {
            await ErrorAsync(http, HttpStatusCode.BadRequest, "missing request body");
            return;
        }
        _chatRequests.Enqueue(body);
        var model = (string)body["model"]!;
        if (!IsInstalled(model))
        {
            await ErrorAsync(http, HttpStatusCode.NotFound, FakeOllamaPayloads.NotFound(model));
            return;
        }
        var chunks = FakeOllamaPayloads.Chunks(Reply(body));
        var ct = http.RequestAborted;
        try
        {
            if (body["stream"]?.GetValue<bool>() == false)
                await AnswerWholeAsync(http, model, chunks, ct);
            else
                await StreamAsync(http, model, chunks, ct);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && ct.IsCancellationRequested)
        {
            _abandoned.TrySetResult();
        }
    }

    private async Task StreamAsync(HttpContext http, string model, IReadOnlyList<JsonObject> chunks, CancellationToken ct)
    {
        http.Response.ContentType = "application/x-ndjson";
        await http.Response.Body.FlushAsync(ct); // the headers go out at once, as Ollama's do while the model loads
        for (var i = 0; ; i++)
        {
            if (i == FailAfterChunks)
            {
                await LineAsync(http, new { error = ModelFailure }, ct);
                return;
            }
            if (i == StallAfterChunks)
                await Task.Delay(Timeout.Infinite, ct);
            if (i == chunks.Count)
                break;
            if (i > 0 && WordDelay > TimeSpan.Zero)
                await Task.Delay(WordDelay, ct);
            await LineAsync(http, FakeOllamaPayloads.Chunk(model, chunks[i]), ct);
        }
        await LineAsync(http, FakeOllamaPayloads.Done(model, FakeOllamaPayloads.Message(""), chunks.Count), ct);
    }

    private async Task AnswerWholeAsync(HttpContext http, string model, IReadOnlyList<JsonObject> chunks, CancellationToken ct)
    {
        if (StallAfterChunks is not null)
            await Task.Delay(Timeout.Infinite, ct);
        if (FailAfterChunks is not null)
        {
            await ErrorAsync(http, HttpStatusCode.InternalServerError, ModelFailure);
            return;
        }
        var whole = chunks.Count == 1 ? chunks[0] : FakeOllamaPayloads.Message(string.Concat(chunks.Select(c => (string?)c["content"])));
        await http.Response.WriteAsJsonAsync(FakeOllamaPayloads.Done(model, whole, chunks.Count), ct);
    }

    /// <summary>Installs a model as <c>ollama pull</c> would.</summary>
    public void Install(string model)
    {
        lock (_installed)
            _installed.Add(Tagged(model));
    }

    /// <summary>Removes a model as <c>ollama rm</c> would: chat and embed then answer 404 for it.</summary>
    public void Remove(string model)
    {
        lock (_installed)
            _installed.Remove(Tagged(model));
    }

    private bool IsInstalled(string model)
    {
        lock (_installed)
            return _installed.Contains(Tagged(model));
    }

    private static string Tagged(string model) => model.Contains(':', StringComparison.Ordinal) ? model : model + ":latest";

    private static async Task<JsonObject?> ReadBodyAsync(HttpContext http)
    {
        try
        {
            return await JsonNode.ParseAsync(http.Request.Body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task ErrorAsync(HttpContext http, HttpStatusCode status, string error)
    {
        http.Response.StatusCode = (int)status;
        await http.Response.WriteAsJsonAsync(new { error });
    }

    private static async Task LineAsync(HttpContext http, object value, CancellationToken ct)
    {
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value) + "\n"), ct);
        await http.Response.Body.FlushAsync(ct);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
