using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Genie.Web.Tests.Infrastructure;

/// <summary>
/// A local stand-in for an Ollama server that generates slowly, following its documented API
/// (docs/api.md): <c>GET /</c>, <c>GET /api/tags</c>, and <c>POST /api/chat</c> streaming NDJSON chunks
/// <c>{"model","created_at","message":{"role":"assistant","content"},"done":false}</c> one word at a time,
/// <see cref="WordDelay"/> apart, then the final <c>done:true</c> chunk with <c>done_reason</c> and counts.
/// A client that goes away mid-answer is recorded in <see cref="Abandoned"/>.
/// </summary>
public sealed class SlowOllama : IAsyncDisposable
{
    public const string ModelName = "llama3.2";

    /// <summary>A long answer that cites the first source, as a model told to cite would write it.</summary>
    public static readonly string LongAnswer =
        "Your building badge is issued by the security desk within two business days of your start date [1]. "
        + string.Concat(Enumerable.Range(1, 60).Select(i => $"Step {i}: bring a photo ID to the security desk on the ground floor and wait for your name to be called. "));

    private readonly WebApplication _app;

    private SlowOllama(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Time between two streamed words; zero answers at once.</summary>
    public TimeSpan WordDelay { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>Completes when a client hangs up before the answer is done.</summary>
    public TaskCompletionSource Abandoned { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ResetAbandoned() => Abandoned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<SlowOllama> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        SlowOllama? fake = null;
        app.MapGet("/", () => Results.Text("Ollama is running"));
        app.MapGet("/api/tags", () => Results.Json(new { models = new[] { new { name = ModelName + ":latest", model = ModelName + ":latest" } } }));
        app.MapPost("/api/chat", (HttpContext http) => fake!.ChatAsync(http));
        await app.StartAsync();
        fake = new SlowOllama(app, new Uri(app.Urls.First()));
        return fake;
    }

    private async Task ChatAsync(HttpContext http)
    {
        var body = await JsonNode.ParseAsync(http.Request.Body) as JsonObject;
        if (body?["model"] is null || body["messages"] is null)
        {
            http.Response.StatusCode = 400;
            await http.Response.WriteAsJsonAsync(new { error = "missing request body" });
            return;
        }
        var model = body["model"]!.GetValue<string>();
        if (model != ModelName && model != ModelName + ":latest")
        {
            http.Response.StatusCode = 404;
            await http.Response.WriteAsJsonAsync(new { error = $"model \"{model}\" not found, try pulling it first" });
            return;
        }

        http.Response.ContentType = "application/x-ndjson";
        var ct = http.RequestAborted;
        var words = LongAnswer.TrimEnd().Split(' ');
        try
        {
            for (var i = 0; i < words.Length; i++)
            {
                if (i > 0 && WordDelay > TimeSpan.Zero)
                    await Task.Delay(WordDelay, ct);
                await WriteLineAsync(http, new
                {
                    model,
                    created_at = DateTime.UtcNow.ToString("O"),
                    message = new { role = "assistant", content = i + 1 < words.Length ? words[i] + " " : words[i] },
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
                prompt_eval_count = 412,
                eval_count = words.Length,
            }, ct);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && ct.IsCancellationRequested)
        {
            Abandoned.TrySetResult();
        }
    }

    private static async Task WriteLineAsync(HttpContext http, object value, CancellationToken ct)
    {
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value) + "\n"), ct);
        await http.Response.Body.FlushAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
