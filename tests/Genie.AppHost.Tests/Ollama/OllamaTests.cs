using Genie.AppHost.Ollama;
using Genie.AppHost.Tests.Infrastructure;
using Genie.Testing.FakeOllama;
using Microsoft.Extensions.DependencyInjection;

namespace Genie.AppHost.Tests.Ollama;

/// <summary>The Ollama resource of Program.cs, alone in the model, against the fake Ollama (its documented API).</summary>
public sealed class OllamaTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_missing_model_is_pulled_with_progress_and_the_services_get_the_url_and_models()
    {
        await using var ollama = await FakeOllamaServer.StartAsync(installed: ["nomic-embed-text:latest"], library: ["llama3.2", "nomic-embed-text"]);
        await using var app = await StartOllamaOnlyAsync(ollama.Address);

        await WaitForStateAsync(app, KnownResourceStates.Running);

        Assert.Equal(["llama3.2"], ollama.Pulled);
        Assert.Contains("Pulling llama3.2: 100% of 1925 MiB", await LogAsync(app));
        Assert.Equal(new Dictionary<string, object>
        {
            ["Genie__Ollama__Url"] = ollama.Address.ToString().TrimEnd('/'),
            ["Genie__Ollama__ChatModel"] = "llama3.2",
            ["Genie__Ollama__EmbeddingModel"] = "nomic-embed-text",
        }, await EnvironmentForServicesAsync(app));

        // The dashboard's "Pull models" command: everything is there now, so nothing is pulled again.
        var result = await app.Application.ResourceCommands.ExecuteCommandAsync("ollama", OllamaExtensions.PullCommand);
        Assert.True(result.Success, result.Message);
        Assert.Equal(["llama3.2"], ollama.Pulled);
    }

    [Fact]
    public async Task A_model_that_cannot_be_pulled_means_built_in_models()
    {
        await using var ollama = await FakeOllamaServer.StartAsync(installed: [], library: ["nomic-embed-text"]);
        await using var app = await StartOllamaOnlyAsync(ollama.Address);

        await WaitForStateAsync(app, OllamaResource.BuiltInModelsState);

        Assert.Contains("pull model manifest: file does not exist", await LogAsync(app));
        Assert.Empty(await EnvironmentForServicesAsync(app));
    }

    [Fact]
    public async Task No_ollama_means_built_in_models_and_nothing_is_passed_on()
    {
        var unreachable = new Uri($"http://127.0.0.1:{Genie.Testing.FreePort.Next()}/");
        await using var app = await StartOllamaOnlyAsync(unreachable);

        await WaitForStateAsync(app, OllamaResource.BuiltInModelsState);

        Assert.Contains($"No Ollama answers at {unreachable}", await LogAsync(app));
        Assert.Empty(await EnvironmentForServicesAsync(app));
    }

    private Task<GenieApp> StartOllamaOnlyAsync(Uri url) => GenieApp.StartAsync(output,
        new Dictionary<string, string> { [OllamaResource.UrlKey] = url.ToString() },
        ModelAdjustments.KeepOnly("ollama"), waitHealthy: []);

    private static async Task WaitForStateAsync(GenieApp app, string state)
    {
        using var timeout = new CancellationTokenSource(GenieApp.StartTimeout);
        await app.Notifications.WaitForResourceAsync("ollama", e => e.Snapshot.State?.Text == state, timeout.Token);
    }

    private static OllamaResource Resource(GenieApp app) =>
        app.Application.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<OllamaResource>().Single();

    /// <summary>What WithReference(ollama) gives a project.</summary>
    private static async Task<Dictionary<string, object>> EnvironmentForServicesAsync(GenieApp app)
    {
        var environment = new Dictionary<string, object>();
        await Resource(app).AddEnvironmentAsync(environment, CancellationToken.None);
        return environment;
    }

    private static async Task<string> LogAsync(GenieApp app)
    {
        var lines = new List<string>();
        await foreach (var batch in app.Application.Services.GetRequiredService<ResourceLoggerService>().GetAllAsync(Resource(app)))
            lines.AddRange(batch.Select(l => l.Content));
        return string.Join('\n', lines);
    }
}
