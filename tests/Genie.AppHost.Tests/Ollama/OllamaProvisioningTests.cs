using Genie.Testing;
using Genie.Testing.FakeOllama;
using Genie.AppHost.Ollama;
using Genie.AppHost.Projects;
using Genie.AppHost.Testing;
using Genie.AppHost.Tests.FakeService;

namespace Genie.AppHost.Tests.Ollama;

public sealed class OllamaProvisioningTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_missing_model_is_pulled_with_progress_and_the_services_get_the_url()
    {
        await using var ollama = await FakeOllamaServer.StartAsync(installed: ["nomic-embed-text:latest"], library: ["llama3.2", "nomic-embed-text"]);
        var (app, environment) = await StartWithOllamaAsync(ollama.Address);
        await using (app)
        {
            Assert.Equal(["llama3.2"], ollama.Pulled);
            Assert.Contains($"Genie__Ollama__Url={ollama.Address.ToString().TrimEnd('/')}", environment);
            Assert.Contains("Genie__Ollama__ChatModel=llama3.2", environment);
            Assert.Contains("Genie__Ollama__EmbeddingModel=nomic-embed-text", environment);
            Assert.Contains("ollama: pulling llama3.2", app.Output);
            Assert.Contains("100% of 1925 MiB", app.Output);
        }
    }

    [Fact]
    public async Task A_model_that_cannot_be_pulled_means_built_in_models()
    {
        await using var ollama = await FakeOllamaServer.StartAsync(installed: [], library: ["nomic-embed-text"]);
        var (app, environment) = await StartWithOllamaAsync(ollama.Address);
        await using (app)
        {
            Assert.DoesNotContain(environment, line => line.StartsWith("Genie__Ollama__", StringComparison.Ordinal));
            Assert.Contains("pull model manifest: file does not exist", app.Output);
            Assert.Contains("the services use their built-in models", app.Output);
            Assert.Null(app.Application.GetResource<OllamaResource>("ollama").Url);
        }
    }

    [Fact]
    public async Task No_ollama_is_said_once_and_nothing_is_passed_on()
    {
        var unreachable = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        var (app, environment) = await StartWithOllamaAsync(unreachable);
        await using (app)
        {
            Assert.DoesNotContain(environment, line => line.StartsWith("Genie__Ollama__", StringComparison.Ordinal));
            var mentions = app.Output.Split('\n').Count(l => l.Contains("built-in models", StringComparison.Ordinal) && l.Contains("no Ollama answers", StringComparison.Ordinal));
            Assert.Equal(1, mentions);
        }
    }

    private async Task<(TestApplication App, string[] Environment)> StartWithOllamaAsync(Uri url)
    {
        var options = new AppHostTestOptions { Output = new TestOutputWriter(output), Configuration = { [OllamaResource.UrlKey] = url.ToString() } };
        var builder = DistributedApplicationTestingBuilder.CreateBuilder(options);
        var ollama = builder.AddOllama("ollama");
        builder.AddFakeService("consumer").WithReference(ollama);
        var app = await builder.StartAsync();
        var environment = (await app.CreateHttpClient("consumer").GetStringAsync("/env")).Split('\n');
        return (app, environment);
    }
}
