using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Genie.AppHost.Tests.Ollama;

/// <summary>
/// Ollama's model-management API as documented (docs/api.md): GET /api/version, GET /api/tags,
/// POST /api/pull streaming NDJSON progress that ends in {"status":"success"}, or an {"error":…}
/// line for a model the library does not have.
/// </summary>
public sealed class FakeOllama : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HashSet<string> _installed;
    private readonly HashSet<string> _library;

    private FakeOllama(WebApplication app, IEnumerable<string> installed, IEnumerable<string> library)
    {
        _app = app;
        _installed = [.. installed];
        _library = [.. library];
    }

    public Uri Url => new(_app.Urls.First());

    public ConcurrentQueue<string> Pulled { get; } = new();

    public static async Task<FakeOllama> StartAsync(IEnumerable<string> installed, IEnumerable<string> library)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeOllama(app, installed, library);
        app.MapGet("/api/version", () => Results.Json(new { version = "0.6.2" }));
        app.MapGet("/api/tags", () => Results.Json(new
        {
            models = fake._installed.Select(name => new { name, model = name, size = 274302450, digest = "0a109f422b47" }),
        }));
        app.MapPost("/api/pull", fake.PullAsync);
        await app.StartAsync();
        return fake;
    }

    private async Task PullAsync(HttpContext context)
    {
        using var request = await JsonDocument.ParseAsync(context.Request.Body);
        var model = request.RootElement.GetProperty("model").GetString()!;
        Pulled.Enqueue(model);
        context.Response.ContentType = "application/x-ndjson";
        async Task Line(object value)
        {
            await context.Response.WriteAsync(JsonSerializer.Serialize(value) + "\n");
            await context.Response.Body.FlushAsync();
        }
        await Line(new { status = "pulling manifest" });
        if (!_library.Contains(model))
        {
            await Line(new { error = "pull model manifest: file does not exist" });
            return;
        }
        const long total = 2_019_393_189;
        const string digest = "sha256:dde5aa3fc5ffc17176b5e8bdc82f587b24b2678c6c66101bf7da77af9f7ccdff";
        await Line(new { status = $"pulling {digest[7..19]}", digest, total });
        foreach (var completed in new[] { total / 4, total / 2, total })
            await Line(new { status = $"pulling {digest[7..19]}", digest, total, completed });
        await Line(new { status = "verifying sha256 digest" });
        await Line(new { status = "writing manifest" });
        await Line(new { status = "success" });
        _installed.Add(model + ":latest");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
