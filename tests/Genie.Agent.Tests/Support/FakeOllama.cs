using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Genie.Agent.Tests.Support;

/// <summary>
/// A local stand-in for Ollama's HTTP API following its documented shapes (docs/api.md): <c>GET /</c>,
/// <c>GET /api/tags</c>, and <c>POST /api/chat</c> streaming NDJSON chunks
/// (<c>{"model","created_at","message":{"role","content"},"done":false}</c> … a final <c>done:true</c> chunk
/// with <c>done_reason</c> and the duration/count metrics), an <c>{"error"}</c> line mid-stream on failure,
/// and 404 <c>{"error":"model \"x\" not found, try pulling it first"}</c> for an unknown model.
/// </summary>
public sealed class FakeOllama : IAsyncDisposable
{
    public enum Behaviour
    {
        Answer,
        FailMidStream,
        StallAfterFirstChunk,
        SilentUntilCancelled,
    }

    private readonly WebApplication _app;

    private FakeOllama(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public string ModelName { get; set; } = "llama3.2";

    /// <summary>The answer streamed word by word (markers included, as a model would write them).</summary>
    public string AnswerText { get; set; } = "Getting a PIV card takes two to three weeks [1]. The background check is slowest [7].";

    public Behaviour Mode { get; set; } = Behaviour.Answer;

    public ConcurrentQueue<JsonObject> ChatRequests { get; } = new();

    public static async Task<FakeOllama> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        FakeOllama? fake = null;
        app.MapGet("/", () => Results.Text("Ollama is running"));
        app.MapGet("/api/tags", () => Results.Json(new { models = new[] { new { name = fake!.ModelName + ":latest", model = fake.ModelName + ":latest" } } }));
        app.MapPost("/api/chat", (HttpContext http) => fake!.ChatAsync(http));
        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        fake = new FakeOllama(app, address);
        return fake;
    }

    private async Task ChatAsync(HttpContext http)
    {
        var body = await JsonNode.ParseAsync(http.Request.Body) as JsonObject;
        if (body is null || body["model"] is null || body["messages"] is null)
        {
            http.Response.StatusCode = 400;
            await http.Response.WriteAsJsonAsync(new { error = "missing request body" });
            return;
        }
        ChatRequests.Enqueue(body);
        var model = body["model"]!.GetValue<string>();
        if (model != ModelName && model != ModelName + ":latest")
        {
            http.Response.StatusCode = (int)HttpStatusCode.NotFound;
            await http.Response.WriteAsJsonAsync(new { error = $"model \"{model}\" not found, try pulling it first" });
            return;
        }

        http.Response.ContentType = "application/x-ndjson";
        var ct = http.RequestAborted;
        if (Mode == Behaviour.SilentUntilCancelled)
        {
            await http.Response.Body.FlushAsync(ct);
            await Task.Delay(Timeout.Infinite, ct);
        }
        var words = AnswerText.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            if (Mode == Behaviour.FailMidStream && i == 3)
            {
                await WriteLineAsync(http, new { error = "an error was encountered while running the model: unexpected EOF" }, ct);
                return;
            }
            if (Mode == Behaviour.StallAfterFirstChunk && i == 1)
                await Task.Delay(Timeout.Infinite, ct);
            var content = i + 1 < words.Length ? words[i] + " " : words[i];
            await WriteLineAsync(http, new
            {
                model,
                created_at = DateTime.UtcNow.ToString("O"),
                message = new { role = "assistant", content },
                done = false,
            }, ct);
        }
        await WriteLineAsync(http, new
        {
            model,
            created_at = DateTime.UtcNow.ToString("O"),
            message = new { role = "assistant", content = "" },
            done = true,
            done_reason = "stop",
            total_duration = 4883583458L,
            load_duration = 1334875L,
            prompt_eval_count = 412,
            prompt_eval_duration = 342546000L,
            eval_count = words.Length,
            eval_duration = 4535599000L,
        }, ct);
    }

    private static async Task WriteLineAsync(HttpContext http, object value, CancellationToken ct)
    {
        var line = JsonSerializer.Serialize(value) + "\n";
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), ct);
        await http.Response.Body.FlushAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
