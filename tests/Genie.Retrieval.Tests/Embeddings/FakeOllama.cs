using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Genie.Retrieval.Tests.Embeddings;

/// <summary>
/// A local stand-in for Ollama following its documented API: <c>GET /api/tags</c>, <c>POST /api/embed</c>
/// (input string or array → <c>embeddings</c> array of arrays, hash-seeded and L2-normalised), and
/// 404 <c>{"error":"model \"x\" not found, try pulling it first"}</c> for unknown models.
/// </summary>
public sealed class FakeOllama : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeOllama(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public List<JsonObject> EmbedRequests { get; } = [];

    public static async Task<FakeOllama> StartAsync(string model = "all-minilm", int dimension = 384)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeOllama? fake = null;
        app.MapGet("/", () => "Ollama is running");
        app.MapGet("/api/tags", () => Results.Json(new { models = new[] { new { name = model + ":latest", model = model + ":latest" } } }));
        app.MapPost("/api/embed", async (HttpContext http) =>
        {
            var body = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
            lock (fake!.EmbedRequests)
                fake.EmbedRequests.Add(body);
            var requested = body["model"]?.GetValue<string>() ?? "";
            if (requested.Split(':')[0] != model)
                return Results.Json(new { error = $"model \"{requested}\" not found, try pulling it first" }, statusCode: 404);
            var inputs = body["input"] is JsonArray array ? array.Select(n => n!.GetValue<string>()).ToList() : [body["input"]!.GetValue<string>()];
            return Results.Json(new
            {
                model = requested,
                embeddings = inputs.Select(i => Vector(i, dimension)).ToList(),
                total_duration = 14143917,
                load_duration = 1019500,
                prompt_eval_count = inputs.Sum(i => i.Split(' ').Length),
            });
        });
        await app.StartAsync();
        var address = app.Urls.First();
        fake = new FakeOllama(app, new Uri(address + "/"));
        return fake;
    }

    public static float[] Vector(string text, int dimension)
    {
        var random = new Random(text.Aggregate(17, (h, c) => unchecked(h * 31 + c)));
        var vector = Enumerable.Range(0, dimension).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        return vector.Select(v => v / norm).ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
